"""Who do I know at X (pure): overlaps, evidence, scores and the ranking of paths."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.network import selectors, services, whoat
from cairn.network.models import Link
from cairn.network.whoat import Edge, Overlap, Someone, Stint

TODAY = date(2026, 3, 2)
ACME, INITECH = 1, 2


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def person(pk: int, name: str = "", strength: int = 3, days: int | None = 10, **extra) -> Someone:
    last = None if days is None else ago(days)
    return Someone(pk, name or f"P{pk}", strength, last, **extra)


def stint(person_id, org=ACME, start=None, end=None, current=None, title="Engineer") -> Stint:
    names = {ACME: "Acme", INITECH: "Initech"}
    current = end is None if current is None else current
    return Stint(person_id, org, names.get(org, f"Org {org}"), title, start, end, current)


def link(a, b, kind="worked_with", note="") -> Edge:
    return Edge(a, b, whoat.LINK, kind, note)


def colleagues(a, b, start=date(2019, 1, 1), end=date(2021, 6, 1)) -> Edge:
    return Edge(a, b, whoat.INFERRED, "Initech", "", Overlap(start, end, ongoing=False))


# ---------------------------------------------------------------- warmth and ties


def test_freshness_halves_every_half_life_and_is_zero_when_never_contacted():
    assert whoat.freshness(TODAY, TODAY) == 1.0
    assert whoat.freshness(ago(whoat.FRESHNESS_HALF_LIFE_DAYS), TODAY) == pytest.approx(0.5)
    assert whoat.freshness(ago(2 * whoat.FRESHNESS_HALF_LIFE_DAYS), TODAY) == pytest.approx(0.25)
    assert whoat.freshness(None, TODAY) == 0.0
    # A contact dated after "today" (a time zone apart) counts as today, never above 1.
    assert whoat.freshness(TODAY + timedelta(days=1), TODAY) == 1.0


def test_warmth_is_mostly_strength_and_a_little_recency():
    assert whoat.warmth(person(1, strength=5, days=0), TODAY) == pytest.approx(1.0)
    assert whoat.warmth(person(1, strength=0, days=None), TODAY) == 0.0
    assert whoat.warmth(person(1, strength=5, days=None), TODAY) == pytest.approx(0.7)
    assert whoat.warmth(person(1, strength=0, days=0), TODAY) == pytest.approx(0.3)
    # A close friend not seen for a year is still warmer than an acquaintance seen today.
    assert whoat.warmth(person(1, strength=5, days=365), TODAY) > whoat.warmth(
        person(2, strength=2, days=0), TODAY
    )
    # Between equals, the more recent contact is warmer.
    assert whoat.warmth(person(1, days=5), TODAY) > whoat.warmth(person(2, days=50), TODAY)


def test_warmth_clamps_a_strength_out_of_range():
    assert whoat.warmth(person(1, strength=9, days=None), TODAY) == pytest.approx(0.7)
    assert whoat.warmth(person(1, strength=-2, days=None), TODAY) == 0.0


@pytest.mark.parametrize(
    ("edge", "confidence"),
    [
        (link(1, 2, "worked_with"), 0.95),
        (link(1, 2, "family"), 0.95),
        (link(1, 2, "other"), 0.8),
        (link(1, 2, "something new"), 0.8),
        (Edge(1, 2, whoat.INTRODUCTION), 0.9),
        (colleagues(1, 2), whoat.INFERRED_CONFIDENCE),
        (colleagues(1, 2, date(2020, 1, 1), date(2020, 3, 1)), whoat.INFERRED_SHORT_CONFIDENCE),
        (Edge(1, 2, whoat.INFERRED, "Acme", "", Overlap(None, TODAY, True)), 0.3),
    ],
)
def test_each_kind_of_evidence_has_its_confidence(edge, confidence):
    assert edge.confidence() == confidence


def test_several_pieces_of_evidence_combine_as_independent_chances():
    assert whoat.tie([]) == 0.0
    assert whoat.tie([colleagues(1, 2)]) == pytest.approx(0.5)
    assert whoat.tie([colleagues(1, 2), colleagues(1, 2)]) == pytest.approx(0.75)
    assert whoat.tie([link(1, 2), colleagues(1, 2)]) == pytest.approx(1 - 0.05 * 0.5)


@given(st.lists(st.sampled_from(["worked_with", "other", "intro", "inferred"]), max_size=6))
def test_a_tie_stays_between_zero_and_one_and_grows_with_evidence(kinds):
    def edge(kind):
        if kind == "intro":
            return Edge(1, 2, whoat.INTRODUCTION)
        if kind == "inferred":
            return colleagues(1, 2)
        return link(1, 2, kind)

    edges = [edge(kind) for kind in kinds]
    value = whoat.tie(edges)
    assert 0.0 <= value < 1.0
    assert whoat.tie([*edges, colleagues(1, 2)]) >= value


def test_reach_is_full_for_a_current_role_and_partial_for_a_past_one():
    assert whoat.reach([stint(1, end=date(2020, 1, 1)), stint(1)]) == 1.0
    assert whoat.reach([stint(1, start=date(2018, 1, 1), end=date(2020, 1, 1))]) == 0.6


# ---------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    ("start", "end", "ongoing", "text"),
    [
        (date(2019, 3, 1), date(2021, 5, 1), False, "2019–2021"),
        (date(2020, 3, 1), date(2020, 9, 1), False, "2020"),
        (date(2019, 3, 1), None, True, "since 2019"),
        (None, None, True, "now"),
        (date(2019, 3, 1), None, False, "from 2019"),
        (None, date(2021, 5, 1), False, "until 2021"),
        (None, None, False, ""),
    ],
)
def test_years_reads_naturally(start, end, ongoing, text):
    assert whoat.years(start, end, ongoing=ongoing) == text


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "talked today"),
        (-1, "talked today"),
        (1, "talked yesterday"),
        (12, "talked 12 days ago"),
        (59, "talked 59 days ago"),
        (95, "talked 3 months ago"),
        (800, "talked 2 years ago"),
        (None, "never contacted"),
    ],
)
def test_contact_phrase(days, text):
    assert whoat.contact_phrase(person(1, days=days), TODAY) == text


def test_a_stint_label_has_title_organisation_and_years():
    assert stint(1, start=date(2019, 1, 1), end=date(2021, 1, 1)).label() == (
        "Engineer at Acme (2019–2021)"
    )
    assert stint(1, start=date(2022, 1, 1)).label() == "Engineer at Acme (since 2022)"
    assert stint(1, title="").label() == "Acme (now)"
    assert stint(1, title="", current=False).label() == "Acme"


NAMES = {1: "Ana", 2: "Bo"}


@pytest.mark.parametrize(
    ("edge", "from_bo", "from_ana"),
    [
        (link(1, 2, "worked_with"), "worked with Ana", "worked with Bo"),
        (link(2, 1, "reports_to"), "reports to Ana", "manages Bo"),
        (link(1, 2, "friend", "climbing"), "friend of Ana (climbing)", "friend of Bo (climbing)"),
        (link(1, 2, "other"), "knows Ana", "knows Bo"),
        (Edge(1, 2, whoat.INTRODUCTION), "introduced by Ana", "introduced Bo to you"),
        (
            colleagues(1, 2),
            "probably knows Ana: both at Initech 2019–2021",
            "probably knows Bo: both at Initech 2019–2021",
        ),
        (
            Edge(1, 2, whoat.INFERRED, "Acme", "", Overlap(date(2023, 1, 1), TODAY, True)),
            "probably knows Ana: both at Acme since 2023",
            "probably knows Bo: both at Acme since 2023",
        ),
        (Edge(1, 2, whoat.INFERRED, "Acme"), "probably knows Ana: both at Acme", None),
    ],
)
def test_evidence_reads_from_either_end(edge, from_bo, from_ana):
    assert edge.phrase(2, NAMES) == from_bo
    if from_ana:
        assert edge.phrase(1, NAMES) == from_ana
    assert edge.other(1) == 2 and edge.other(2) == 1
    assert edge.inferred == (edge.kind == whoat.INFERRED)


# ---------------------------------------------------------------- overlaps


def test_roles_at_the_same_organisation_at_the_same_time_overlap():
    found = whoat.overlap(
        stint(1, INITECH, date(2018, 5, 1), date(2021, 6, 30)),
        stint(2, INITECH, date(2019, 2, 1), date(2023, 1, 1)),
        TODAY,
    )
    assert found == Overlap(date(2019, 2, 1), date(2021, 6, 30), ongoing=False)
    assert found.days == (date(2021, 6, 30) - date(2019, 2, 1)).days


def test_a_current_role_lasts_until_today():
    found = whoat.overlap(stint(1, start=date(2024, 1, 1)), stint(2, start=date(2025, 1, 1)), TODAY)
    assert found == Overlap(date(2025, 1, 1), TODAY, ongoing=True)
    past = whoat.overlap(
        stint(1, start=date(2024, 1, 1)), stint(2, start=date(2020, 1, 1), end=date(2024, 6, 1)),
        TODAY,
    )  # fmt: skip
    assert past == Overlap(date(2024, 1, 1), date(2024, 6, 1), ongoing=False)


def test_two_people_there_now_overlap_even_without_start_dates():
    assert whoat.overlap(stint(1), stint(2), TODAY) == Overlap(None, TODAY, ongoing=True)
    assert whoat.overlap(stint(1, start=date(2022, 4, 1)), stint(2), TODAY) == Overlap(
        date(2022, 4, 1), TODAY, ongoing=True
    )


@pytest.mark.parametrize(
    ("x", "y"),
    [
        # Different organisations.
        (stint(1, ACME, date(2019, 1, 1)), stint(2, INITECH, date(2019, 1, 1))),
        # The same person.
        (stint(1, start=date(2019, 1, 1)), stint(1, start=date(2020, 1, 1))),
        # One after the other.
        (stint(1, start=date(2015, 1, 1), end=date(2018, 1, 1)), stint(2, start=date(2018, 2, 1))),
        # Together for under MIN_OVERLAP_DAYS.
        (
            stint(1, start=date(2015, 1, 1), end=date(2018, 1, 20)),
            stint(2, start=date(2018, 1, 1)),
        ),
        # A past role with no end cannot be placed in time.
        (stint(1, start=date(2015, 1, 1), current=False), stint(2, start=date(2014, 1, 1))),
        # A role without a start only overlaps when both are there now.
        (stint(1, end=date(2020, 1, 1)), stint(2, start=date(2010, 1, 1))),
        (stint(1), stint(2, start=date(2010, 1, 1), end=date(2020, 1, 1))),
        # Marked current but with an end date: it ended.
        (
            stint(1, start=date(2010, 1, 1), end=date(2012, 1, 1), current=True),
            stint(2, start=date(2013, 1, 1)),
        ),
    ],
)
def test_no_overlap(x, y):
    assert whoat.overlap(x, y, TODAY) is None
    assert whoat.overlap(y, x, TODAY) is None


def test_colleague_edges_pair_overlapping_roles_at_each_organisation():
    mine = [
        stint(1, INITECH, date(2019, 1, 1), date(2021, 6, 1)),
        stint(1, ACME, date(2021, 7, 1)),
    ]
    others = [
        stint(2, INITECH, date(2020, 1, 1), date(2022, 1, 1)),  # overlaps at Initech
        stint(3, INITECH, date(2022, 1, 1)),  # joined after Ana left
        stint(4, ACME, date(2024, 1, 1)),  # at Acme now too
        stint(1, INITECH, date(2019, 1, 1), date(2021, 6, 1)),  # Ana herself
    ]
    edges = whoat.colleague_edges(mine, others, today=TODAY)
    assert [(e.a, e.b, e.detail) for e in edges] == [(1, 2, "Initech"), (1, 4, "Acme")]
    assert all(e.inferred for e in edges)
    assert edges[0].shared() == "both at Initech 2020–2021"
    assert edges[1].shared() == "both at Acme since 2024"


# ---------------------------------------------------------------- ranking insiders


def test_insiders_are_ranked_by_warmth_with_current_roles_ahead():
    people = {
        1: person(1, "Close Current", strength=5, days=3),
        2: person(2, "Close Past", strength=5, days=3),
        3: person(3, "Distant Current", strength=1, days=400),
        4: person(4, "Stranger", strength=0, days=None),
    }
    stints = [
        stint(1, start=date(2022, 1, 1)),
        stint(2, start=date(2015, 1, 1), end=date(2019, 1, 1)),
        stint(3, start=date(2021, 1, 1)),
        stint(4),
        stint(99),  # someone not loaded (in the bin): ignored
    ]
    ranked = whoat.rank_insiders(people, stints, today=TODAY)
    assert [i.person.name for i in ranked] == [
        "Close Current",
        "Close Past",
        "Distant Current",
        "Stranger",
    ]
    assert ranked[0].is_current and not ranked[1].is_current
    assert ranked[1].score == pytest.approx(ranked[0].score * whoat.PAST_REACH)
    assert ranked[3].score == 0.0  # listed all the same: they are there


def test_an_insiders_roles_come_current_first_then_latest():
    people = {1: person(1)}
    stints = [
        stint(1, start=date(2010, 1, 1), end=date(2012, 1, 1), title="Intern"),
        stint(1, start=date(2016, 1, 1), title="Director"),
        stint(1, start=date(2013, 1, 1), end=date(2016, 1, 1), title="Manager"),
    ]
    (insider,) = whoat.rank_insiders(people, stints, today=TODAY)
    assert [s.title for s in insider.stints] == ["Director", "Manager", "Intern"]


def test_insiders_with_equal_scores_are_ordered_by_name():
    people = {2: person(2, "Zoe"), 1: person(1, "adam"), 3: person(3, "Bea")}
    ranked = whoat.rank_insiders(people, [stint(2), stint(1), stint(3)], today=TODAY)
    assert [i.person.name for i in ranked] == ["adam", "Bea", "Zoe"]


# ---------------------------------------------------------------- ranking paths


def paths(edges, targets, contacts, target_stints=None, **options):
    target_stints = target_stints or [stint(t.id) for t in targets]
    return whoat.rank_paths(
        targets={t.id: t for t in targets},
        target_stints=target_stints,
        contacts={c.id: c for c in contacts},
        edges=edges,
        today=TODAY,
        **options,
    )


def test_a_path_goes_through_someone_i_know_to_someone_at_the_organisation():
    ana = person(1, "Ana Ruiz", strength=4, days=12)
    bo = person(2, "Bo Li", strength=0, days=None)
    (path,) = paths(
        [link(1, 2)], [bo], [ana], [stint(2, title="Product Manager", start=date(2023, 1, 1))]
    )
    assert (path.via, path.target) == (ana, bo)
    assert not path.inferred
    assert path.evidence() == ["worked with Ana Ruiz"]
    assert path.describe(TODAY) == (
        "me → Ana Ruiz (strength 4, talked 12 days ago) → Bo Li "
        "(Product Manager at Acme, worked with Ana Ruiz)"
    )
    expected = whoat.warmth(ana, TODAY) * 0.95 * 1.0 * (1 - whoat.warmth(bo, TODAY))
    assert path.score == pytest.approx(expected)


def test_links_count_in_both_directions():
    ana, bo = person(1, strength=4), person(2, strength=0, days=None)
    forward = paths([link(1, 2)], [bo], [ana])
    backward = paths([link(2, 1)], [bo], [ana])
    assert len(forward) == len(backward) == 1
    assert forward[0].score == backward[0].score


def test_an_inferred_path_says_so_and_describes_a_past_role():
    ana = person(1, "Ana", strength=4, days=30)
    bo = person(2, "Bo", strength=1, days=None)
    target_stints = [stint(2, start=date(2015, 1, 1), end=date(2020, 1, 1), title="Designer")]
    (path,) = paths([colleagues(1, 2)], [bo], [ana], target_stints)
    assert path.inferred
    assert path.describe(TODAY).endswith(
        "→ Bo (formerly Designer at Acme, probably knows Ana: both at Initech 2019–2021)"
    )
    assert path.score == pytest.approx(
        whoat.warmth(ana, TODAY) * 0.5 * whoat.PAST_REACH * (1 - whoat.warmth(bo, TODAY))
    )


def test_all_evidence_between_two_people_is_kept_surest_first():
    ana, bo = person(1, strength=3), person(2, strength=0, days=None)
    (path,) = paths([colleagues(1, 2), Edge(1, 2, whoat.INTRODUCTION), link(2, 1)], [bo], [ana])
    assert [e.kind for e in path.edges] == [whoat.LINK, whoat.INTRODUCTION, whoat.INFERRED]
    assert path.tie == pytest.approx(1 - 0.05 * 0.1 * 0.5)
    assert not path.inferred


def test_a_warm_intermediary_beats_a_cold_one():
    warm, cold = person(1, "Warm", strength=5, days=5), person(2, "Cold", strength=1, days=700)
    bo = person(9, "Bo", strength=0, days=None)
    ranked = paths([link(1, 9), link(2, 9)], [bo], [cold, warm])
    assert [p.via.name for p in ranked] == ["Warm", "Cold"]


def test_recency_breaks_the_tie_between_equally_strong_intermediaries():
    recent, stale = person(1, "Recent", days=3), person(2, "Stale", days=300)
    bo = person(9, strength=0, days=None)
    ranked = paths([link(1, 9), link(2, 9)], [bo], [stale, recent])
    assert [p.via.name for p in ranked] == ["Recent", "Stale"]


def test_a_stated_link_beats_an_inferred_one():
    ana, eve = person(1, "Ana"), person(2, "Eve")
    bo = person(9, strength=0, days=None)
    ranked = paths([colleagues(1, 9), link(2, 9, "other")], [bo], [ana, eve])
    assert [p.via.name for p in ranked] == ["Eve", "Ana"]


def test_reaching_someone_i_already_know_well_is_worth_less():
    ana = person(1, strength=4)
    stranger, friend = person(8, "Stranger", strength=0, days=None), person(9, "Friend", 4, 2)
    ranked = paths([link(1, 8), link(1, 9)], [friend, stranger], [ana])
    assert [p.target.name for p in ranked] == ["Stranger", "Friend"]
    best_friend = person(7, "Best friend", strength=5, days=0)
    assert paths([link(1, 7)], [best_friend], [ana]) == []  # adds nothing


def test_current_insiders_are_worth_more_than_past_ones():
    ana = person(1, strength=4)
    now, before = person(8, "Now", 0, None), person(9, "Before", 0, None)
    target_stints = [stint(8), stint(9, start=date(2010, 1, 1), end=date(2015, 1, 1))]
    ranked = paths([link(1, 9), link(1, 8)], [now, before], [ana], target_stints)
    assert [p.target.name for p in ranked] == ["Now", "Before"]


def test_no_path_through_or_to_someone_marked_do_not_contact_or_never_met():
    bo = person(9, strength=0, days=None)
    blocked = person(1, strength=5, do_not_contact=True)
    never_met = person(2, strength=0, days=None)
    assert paths([link(1, 9), link(2, 9)], [bo], [blocked, never_met]) == []
    ana = person(3, strength=5)
    hidden = person(8, strength=0, days=None, do_not_contact=True)
    assert paths([link(3, 8)], [hidden], [ana]) == []


def test_edges_that_do_not_lead_from_a_contact_to_a_target_are_ignored():
    ana, eve = person(1), person(2)
    bo, cy = person(8, strength=0, days=None), person(9, strength=0, days=None)
    edges = [
        link(8, 9),  # between two people at the organisation
        link(1, 2),  # between two contacts
        link(1, 77),  # to someone not loaded
        link(8, 8),  # nonsense
    ]
    assert paths(edges, [bo, cy], [ana, eve]) == []


def test_someone_at_the_organisation_is_never_an_intermediary():
    ana = person(1, strength=5)
    bo = person(9, strength=0, days=None)
    # Ana is at Acme too, so she is first degree; she is also (wrongly) passed as a contact.
    found = paths([link(1, 9)], [ana, bo], [ana])
    assert found == []


def test_paths_per_target_and_in_all_are_limited():
    contacts = [person(i, f"C{i}", strength=5 - i % 3) for i in range(1, 7)]
    targets = [person(i, f"T{i}", strength=0, days=None) for i in (10, 11, 12)]
    edges = [link(c.id, t.id) for c in contacts for t in targets]
    found = paths(edges, targets, contacts)
    per_target = {t.id: sum(p.target.id == t.id for p in found) for t in targets}
    assert per_target == {10: 3, 11: 3, 12: 3}
    assert len(paths(edges, targets, contacts, limit=4)) == 4
    assert len(paths(edges, targets, contacts, per_target=1)) == 3
    scores = [p.score for p in found]
    assert scores == sorted(scores, reverse=True)


def test_the_ranking_does_not_depend_on_the_order_of_the_input():
    contacts = [person(i, f"C{i}", strength=1 + i % 5, days=i * 7) for i in range(1, 9)]
    targets = [person(i, f"T{i}", strength=i % 3, days=None) for i in range(10, 14)]
    edges = [link(c.id, t.id, "other") for c in contacts for t in targets if (c.id + t.id) % 3]
    edges += [colleagues(t.id, c.id) for c in contacts for t in targets if (c.id * t.id) % 4 == 1]
    first = paths(edges, targets, contacts, limit=100, per_target=100)
    second = paths(list(reversed(edges)), targets[::-1], contacts[::-1], limit=100, per_target=100)
    assert first == second
    assert len(first) > 10


@given(
    st.lists(
        st.tuples(
            st.integers(1, 6),  # contact
            st.integers(10, 13),  # target
            st.sampled_from(["worked_with", "other", "intro", "inferred"]),
        ),
        max_size=30,
    ),
    st.lists(st.integers(0, 5), min_size=10, max_size=10),
)
def test_paths_are_sound_for_any_graph(triples, strengths):
    contacts = {i: person(i, f"C{i}", strength=strengths[i - 1], days=i * 40) for i in range(1, 7)}
    targets = {
        i: person(i, f"T{i}", strength=strengths[i - 6] % 3, days=None) for i in range(10, 14)
    }
    edges = []
    for c, t, kind in triples:
        if kind == "intro":
            edges.append(Edge(c, t, whoat.INTRODUCTION))
        elif kind == "inferred":
            edges.append(colleagues(t, c))
        else:
            edges.append(link(c, t, kind))
    found = whoat.rank_paths(
        targets=targets,
        target_stints=[stint(t) for t in targets],
        contacts=contacts,
        edges=edges,
        today=TODAY,
    )
    connected = {(c, t) for c, t, _ in triples}
    seen = set()
    for path in found:
        assert (path.via.id, path.target.id) in connected
        assert (path.via.id, path.target.id) not in seen
        seen.add((path.via.id, path.target.id))
        assert 0 < path.score <= 1 and 0 < path.tie < 1
        assert path.edges
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)


def test_a_result_is_found_when_an_organisation_matched():
    assert not whoat.WhoAtResult("nothing").found
    match = whoat.OrganisationMatch(1, "Acme", 100)
    assert whoat.WhoAtResult("acme", (match,)).found


# ---------------------------------------------------------------- the selector (database)


class Network:
    """A small network built through the services, as a user would."""

    def __init__(self, user):
        self.user = user
        self.orgs = {}

    def org(self, name):
        if name not in self.orgs:
            self.orgs[name] = services.organisation_create(user=self.user, name=name)
        return self.orgs[name]

    def person(self, name, *, strength=2, talked=None, at=(), **values):
        """`at`: (organisation, title, start, end) for each role."""
        someone = services.person_create(
            user=self.user, full_name=name, strength=strength, today=TODAY, **values
        )
        for org, title, start, end in at:
            services.role_add(
                user=self.user, person=someone, organisation=self.org(org), title=title,
                started_on=start, ended_on=end,
            )  # fmt: skip
        if talked is not None:
            services.interaction_log(
                user=self.user, people=[someone], summary="Catch-up", occurred_on=ago(talked),
                today=TODAY,
            )  # fmt: skip
        return someone

    def link(self, a, b, kind="worked_with"):
        services.link_add(user=self.user, from_person=a, to_person=b, kind=kind)


def who(user, organisation, **options):
    return selectors.who_knows_at(user, organisation=organisation, today=TODAY, **options)


def names(items):
    return [item.person.name for item in items]


def routes(result):
    return [(path.via.name, path.target.name) for path in result.paths]


@pytest.fixture
def acme(owner):
    net = Network(owner)
    net.bo = net.person(
        "Bo Li", strength=0, at=[("Acme", "Product Manager", date(2024, 1, 1), None)]
    )
    net.cy = net.person(
        "Cy Diaz", strength=3, talked=40,
        at=[("Initech", "Engineer", date(2018, 1, 1), date(2021, 12, 31)),
            ("Acme", "Engineer", date(2022, 1, 1), date(2024, 6, 1))],
    )  # fmt: skip
    net.ana = net.person("Ana Ruiz", strength=4, talked=12)
    net.eve = net.person(
        "Eve Stone", strength=3, talked=90,
        at=[("Initech", "Designer", date(2019, 6, 1), date(2023, 1, 1))],
    )  # fmt: skip
    net.link(net.ana, net.bo)
    return net


@pytest.mark.django_db
def test_first_degree_lists_current_and_past_roles_warmest_first(acme):
    result = who(acme.user, "acme")
    assert result.found and [o.name for o in result.organisations] == ["Acme"]
    assert names(result.insiders) == ["Cy Diaz", "Bo Li"]
    cy, bo = result.insiders
    assert not cy.is_current and bo.is_current
    assert cy.stints[0].label() == "Engineer at Acme (2022–2024)"
    assert cy.person.strength == 3 and cy.person.last_contact_on == ago(40)
    assert bo.person.last_contact_on is None


@pytest.mark.django_db
def test_the_organisation_is_matched_loosely(acme):
    assert [o.name for o in who(acme.user, "  ACME ").organisations] == ["Acme"]
    assert [o.name for o in who(acme.user, "Acmee").organisations] == ["Acme"]
    assert who(acme.user, "Acmee").organisations[0].score < 100
    assert who(acme.user, acme.orgs["Acme"]).insiders == who(acme.user, "acme").insiders
    nothing = who(acme.user, "Globex")
    assert not nothing.found and nothing.insiders == () and nothing.paths == ()
    assert not who(acme.user, "").found


@pytest.mark.django_db
def test_second_degree_through_a_stated_link_in_either_direction(acme):
    result = who(acme.user, "Acme")
    assert ("Ana Ruiz", "Bo Li") in routes(result)
    path = next(p for p in result.paths if p.via.name == "Ana Ruiz")
    assert path.describe(TODAY) == (
        "me → Ana Ruiz (strength 4, talked 12 days ago) → Bo Li "
        "(Product Manager at Acme, worked with Ana Ruiz)"
    )
    Link.objects.all().delete()
    acme.link(acme.bo, acme.ana, "friend")
    assert ("Ana Ruiz", "Bo Li") in routes(who(acme.user, "Acme"))


@pytest.mark.django_db
def test_second_degree_through_inferred_colleagues(acme):
    result = who(acme.user, "Acme")
    path = next(p for p in result.paths if p.via.name == "Eve Stone")
    assert path.target.name == "Cy Diaz" and path.inferred
    assert path.evidence() == ["probably knows Eve Stone: both at Initech 2019–2021"]


@pytest.mark.django_db
def test_second_degree_through_introductions_either_way(acme):
    dan = acme.person("Dan Roe", strength=4, talked=3)
    services.person_update(user=acme.user, person=acme.bo, introduced_by=dan)
    fay = acme.person("Fay Wu", strength=3, talked=5, introduced_by=acme.bo)
    result = who(acme.user, "Acme")
    evidence = {p.via.name: p.evidence() for p in result.paths if p.target.name == "Bo Li"}
    assert evidence["Dan Roe"] == ["introduced by Dan Roe"]
    assert evidence["Fay Wu"] == ["introduced Fay Wu to you"]
    assert fay.pk in {p.via.id for p in result.paths}


@pytest.mark.django_db
def test_binned_archived_and_do_not_contact_people_are_left_out(acme):
    services.person_delete(user=acme.user, person=acme.ana)
    services.people_archive(user=acme.user, person_ids=[acme.eve.pk])
    result = who(acme.user, "Acme")
    assert result.paths == ()
    services.person_restore(user=acme.user, person=acme.ana)
    assert routes(who(acme.user, "Acme")) == [("Ana Ruiz", "Bo Li")]
    services.person_update(user=acme.user, person=acme.ana, do_not_contact=True)
    assert who(acme.user, "Acme").paths == ()
    services.people_archive(user=acme.user, person_ids=[acme.bo.pk])
    assert names(who(acme.user, "Acme").insiders) == ["Cy Diaz"]


@pytest.mark.django_db
def test_another_users_network_never_appears(acme, stranger):
    theirs = Network(stranger)
    spy = theirs.person("Sam Spy", strength=5, talked=1)
    mole = theirs.person("Mo Le", strength=0, at=[("Acme", "CEO", date(2020, 1, 1), None)])
    theirs.link(spy, mole)
    theirs.person("Ivy Init", strength=5, talked=1,
                  at=[("Initech", "Boss", date(2015, 1, 1), None)])  # fmt: skip
    mine = who(acme.user, "Acme")
    everyone = {i.person.name for i in mine.insiders} | {
        name for path in mine.paths for name in (path.via.name, path.target.name)
    }
    assert everyone == {"Bo Li", "Cy Diaz", "Ana Ruiz", "Eve Stone"}
    assert [o.id for o in mine.organisations] == [acme.orgs["Acme"].pk]
    # The stranger sees only their own Acme, and my organisation is not theirs to ask about.
    assert names(who(stranger, "Acme").insiders) == ["Mo Le"]
    assert routes(who(stranger, "Acme")) == [("Sam Spy", "Mo Le")]
    assert not who(stranger, acme.orgs["Acme"]).found


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_network(acme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            who(acme.user, "Acme")
        return len(queries)

    before = count()
    assert before <= 6
    for n in range(12):
        insider = acme.person(f"Insider {n}", at=[("Acme", "Analyst", date(2021, 1, 1), None),
                                                  ("Initech", "Intern", date(2019, 1, 1),
                                                   date(2020, 6, 1))])  # fmt: skip
        friend = acme.person(f"Friend {n}", strength=3, talked=n + 1, introduced_by=insider)
        acme.link(friend, insider, "friend")
        acme.person(f"Colleague {n}", strength=2, talked=n + 2,
                    at=[("Initech", "Tester", date(2019, 3, 1), date(2022, 1, 1))])  # fmt: skip
    result = who(acme.user, "Acme")
    assert len(result.insiders) == 14 and len(result.paths) > 14
    assert count() == before


@pytest.mark.django_db
def test_paths_are_limited(acme):
    for n in range(5):
        acme.link(acme.person(f"Friend {n}", strength=3, talked=n + 1), acme.bo, "friend")
    assert len(who(acme.user, "Acme").paths) == 1 + 3  # Bo (3 at most) and Eve to Cy
    assert len(who(acme.user, "Acme", limit=2).paths) == 2


@pytest.mark.django_db
def test_who_in_city_ignores_case_and_accents(owner, stranger):
    net = Network(owner)
    net.person("Ana", strength=2, talked=30, location="São Paulo, Brazil")
    net.person("Bo", strength=4, talked=300, location="Sao Paulo")
    net.person("Cy", strength=4, talked=10, location="SÃO PAULO")
    net.person("Di", strength=5, location="Lisbon")
    gone = net.person("Ed", strength=5, location="São Paulo")
    services.people_archive(user=owner, person_ids=[gone.pk])
    Network(stranger).person("Zed", strength=5, location="São Paulo")
    found = selectors.who_in_city(owner, city="sao  paulo")
    assert [k.person.full_name for k in found.first_degree] == ["Cy", "Bo", "Ana"]
    assert found.first_degree[0].reason == "lives in SÃO PAULO"
    assert [
        k.person.full_name for k in selectors.who_in_city(owner, city="LISBON").first_degree
    ] == ["Di"]
    assert selectors.who_in_city(owner, city="  ").first_degree == ()
    assert len(selectors.who_in_city(owner, city="paulo", limit=2).first_degree) == 2


def test_at_a_large_organisation_paths_are_sought_to_those_a_path_helps_most():
    people = {
        1: person(1, strength=5, days=0),  # known well: a path adds nothing
        2: person(2, strength=0, days=None),  # a stranger there now
        3: person(3, strength=0, days=None),  # a stranger who left
        4: person(4, strength=2, days=100),
    }
    stints = [stint(1), stint(2), stint(3, start=date(2010, 1, 1), end=date(2012, 1, 1)), stint(4)]
    assert whoat.worth_reaching(people, stints, today=TODAY, limit=2) == [2, 3]
    assert whoat.worth_reaching(people, stints, today=TODAY, limit=3) == [2, 3, 4]
    assert sorted(whoat.worth_reaching(people, stints, today=TODAY)) == [1, 2, 3, 4]


def test_colleague_windows_bound_the_roles_that_can_overlap():
    stints = [
        stint(1, INITECH, date(2019, 1, 1), date(2021, 6, 1)),
        stint(2, INITECH, date(2020, 1, 1), date(2022, 1, 1)),
        stint(1, ACME, title="no start, there now"),
        stint(3, ACME, date(2024, 1, 1)),
        stint(4, 7, title="no dates, gone", current=False),
        stint(5, 8, date(2015, 1, 1), current=False),  # ended, no one knows when
    ]
    windows = whoat.colleague_windows(stints, today=TODAY)
    assert windows == [
        whoat.Window(ACME, TODAY - timedelta(days=30), date(2024, 1, 31)),
        whoat.Window(ACME, current_only=True),
        whoat.Window(INITECH, date(2021, 12, 2), date(2019, 1, 31)),
    ]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 4),  # person
            st.integers(1, 3),  # organisation
            st.one_of(st.none(), st.dates(date(2010, 1, 1), date(2026, 3, 1))),
            st.one_of(st.none(), st.integers(0, 3000)),  # days until it ended
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_every_overlap_falls_inside_a_window(rows):
    """The windows may let through roles that do not overlap, never drop one that does."""
    stints = []
    for person_id, org, start, length, current in rows:
        end = start + timedelta(days=length) if start and length is not None else None
        end = min(end, TODAY) if end else None
        stints.append(stint(person_id, org, start, end, current and end is None))

    def admitted(other):
        for w in windows:
            if w.organisation_id != other.organisation_id:
                continue
            if w.current_only and other.is_current and other.ended_on is None:
                return True
            if w.current_only:
                continue
            started = other.started_on is None or other.started_on <= w.start_by
            ended = other.ended_on is None or other.ended_on >= w.end_from
            if started and ended:
                return True
        return False

    mine, others = stints[: len(stints) // 2], stints[len(stints) // 2 :]
    windows = whoat.colleague_windows(mine, today=TODAY)
    for x in mine:
        for y in others:
            if whoat.overlap(x, y, TODAY) is not None:
                assert admitted(y), (x, y, windows)
