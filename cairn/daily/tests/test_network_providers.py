"""The network's candidates for Today: what each provider finds, and why it says so."""

from datetime import date, timedelta

import pytest

from cairn.daily import providers
from cairn.network import daily, services
from cairn.network.models import Person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)  # a Wednesday


def person(owner, name="Ana Ruiz", **values):
    return services.person_create(
        user=owner, full_name=name, today=TODAY - timedelta(days=400), **values
    )


def log(owner, people, on, **values):
    return services.interaction_log(
        user=owner, people=people, summary="Coffee", occurred_on=on, today=TODAY, **values
    )


def by_kind(owner, kind):
    return providers.providers()[kind](owner, TODAY)


def test_the_network_registers_its_providers():
    assert {"follow_up", "keep_in_touch", "congratulate", "thank_you", "rotation", "give"} <= set(
        providers.providers()
    )


def test_keep_in_touch_says_how_long_it_has_been(owner):
    ana = person(owner, cadence_days=60)
    log(owner, [ana], TODAY - timedelta(days=94))
    [found] = by_kind(owner, "keep_in_touch")
    assert found.key == f"keep_in_touch:person:{ana.pk}"
    assert found.why == "last talked 94 days ago; you planned every 60"
    assert found.person_id == ana.pk


def test_keep_in_touch_leaves_out_the_not_due_and_those_to_leave_alone(owner):
    recent = person(owner, "Recent One", cadence_days=60)
    log(owner, [recent], TODAY - timedelta(days=10))
    quiet = person(owner, "Quiet One", cadence_days=30, do_not_contact=True)
    archived = person(owner, "Archived One", cadence_days=30)
    binned = person(owner, "Binned One", cadence_days=30)
    services.people_archive(user=owner, person_ids=[archived.pk])
    services.person_delete(user=owner, person=binned)
    assert by_kind(owner, "keep_in_touch") == []
    assert quiet.pk


def test_a_more_overdue_stronger_relationship_scores_higher(owner):
    close = person(owner, "Close Friend", cadence_days=30, strength=5)
    log(owner, [close], TODAY - timedelta(days=90))
    loose = person(owner, "Loose Tie", cadence_days=30, strength=1)
    log(owner, [loose], TODAY - timedelta(days=35))
    scores = {c.person_id: c.score for c in by_kind(owner, "keep_in_touch")}
    assert scores[close.pk] > scores[loose.pk]


def test_follow_ups_due_name_the_conversation(owner):
    ana = person(owner)
    interaction = log(
        owner, [ana], TODAY - timedelta(days=20), follow_up_on=TODAY - timedelta(days=3)
    )
    later = log(owner, [ana], TODAY - timedelta(days=20), follow_up_on=TODAY + timedelta(days=3))
    [found] = by_kind(owner, "follow_up")
    assert found.key == f"follow_up:interaction:{interaction.pk}"
    assert "3 days ago" in found.why and "Coffee" in found.why
    services.follow_up_done(user=owner, interaction=interaction)
    assert by_kind(owner, "follow_up") == []
    assert later.pk


def test_a_fresh_follow_up_outranks_a_forgotten_one(owner):
    ana = person(owner)
    fresh = log(owner, [ana], TODAY - timedelta(days=20), follow_up_on=TODAY - timedelta(days=5))
    old = log(owner, [ana], TODAY - timedelta(days=900), follow_up_on=TODAY - timedelta(days=800))
    found = by_kind(owner, "follow_up")
    assert [c.key for c in found] == [
        f"follow_up:interaction:{fresh.pk}",
        f"follow_up:interaction:{old.pk}",
    ]
    assert found[0].urgency > found[1].urgency


def test_recent_news_is_to_congratulate_and_counts_as_giving(owner):
    ana = person(owner, given_name="Ana")
    event = services.life_event_add(
        user=owner, person=ana, kind="new_job", occurred_on=TODAY - timedelta(days=3), note="Acme"
    )
    services.life_event_add(
        user=owner, person=ana, kind="award", occurred_on=TODAY - timedelta(days=90)
    )
    [found] = by_kind(owner, "congratulate")
    assert found.key == f"congratulate:event:{event.pk}"
    assert found.why == "Ana started a new job 3 days ago: “Acme”"
    assert found.is_give


def test_a_thank_you_is_owed_after_an_interview_with_nothing_since(owner):
    ana = person(owner)
    bo = person(owner, "Bo Lind")
    interview = log(owner, [ana, bo], TODAY - timedelta(days=1), kind="informational")
    log(owner, [bo], TODAY, kind="email")
    log(owner, [ana], TODAY - timedelta(days=5), kind="job_interview")
    [found] = by_kind(owner, "thank_you")
    assert found.key == f"thank_you:interaction:{interview.pk}"
    assert found.title == "Thank Ana Ruiz"
    assert "yesterday" in found.why


def test_a_thank_you_logged_the_same_day_as_the_interview_counts(owner):
    ana = person(owner)
    bo = person(owner, "Bo Lind")
    log(owner, [ana, bo], TODAY, kind="job_interview")
    log(owner, [ana], TODAY, kind="email")  # the thank-you, that evening
    [found] = by_kind(owner, "thank_you")
    assert found.title == "Thank Bo Lind"
    log(owner, [bo], TODAY, kind="email")
    assert by_kind(owner, "thank_you") == []


def test_the_rotation_batch_waits_until_contacted(owner):
    people = [
        person(
            owner,
            f"Person {n}",
        )
        for n in "ABC"
    ]
    services.rotation_configure(user=owner, weekly_quota=2, order="family_name", today=TODAY)
    found = by_kind(owner, "rotation")
    assert len(found) == 2
    assert all("this week's rotation" in c.why for c in found)
    log(owner, [Person.objects.get(pk=found[0].person_id)], TODAY)
    assert [c.person_id for c in by_kind(owner, "rotation")] == [found[1].person_id]
    assert people


def test_give_to_someone_who_helped_you_more(owner):
    ana = person(owner, given_name="Ana")
    bo = person(owner, "Bo Lind")
    for _ in range(2):
        services.favour_add(
            user=owner,
            person=ana,
            direction="received",
            description="intro",
            occurred_on=TODAY - timedelta(days=30),
        )
    services.favour_add(
        user=owner,
        person=ana,
        direction="given",
        description="review",
        occurred_on=TODAY - timedelta(days=20),
    )
    services.favour_add(
        user=owner,
        person=bo,
        direction="given",
        description="review",
        occurred_on=TODAY - timedelta(days=20),
    )
    [found] = by_kind(owner, "give")
    assert found.person_id == ana.pk
    assert found.why == "Ana has helped you 1 more time than you have helped them"
    assert found.is_give


def test_give_after_news_already_congratulated(owner):
    ana = person(owner, given_name="Ana")
    services.life_event_add(
        user=owner,
        person=ana,
        kind="promotion",
        occurred_on=TODAY - timedelta(days=4),
        congratulated=True,
    )
    [found] = by_kind(owner, "give")
    assert found.person_id == ana.pk and "was promoted 4 days ago" in found.why


def test_providers_see_only_their_owner(owner, stranger):
    ana = person(owner, cadence_days=30)
    services.life_event_add(user=owner, person=ana, kind="new_job", occurred_on=TODAY)
    for kind in providers.providers():
        assert providers.providers()[kind](stranger, TODAY) == []


@pytest.mark.parametrize(
    ("days", "longer"),
    [(None, 180), (10, 30), (30, 60), (60, 90), (90, 180), (180, 365), (365, 548), (3000, 3650)],
)
def test_less_often_steps_to_the_next_usual_rhythm(days, longer):
    assert daily.longer_cadence(days) == longer


def _network(owner, size):
    services.rotation_configure(user=owner, weekly_quota=3, order="family_name", today=TODAY)
    for n in range(size):
        someone = person(owner, f"Person {n:03}", cadence_days=30, strength=n % 6)
        log(
            owner,
            [someone],
            TODAY - timedelta(days=40 + n),
            kind="informational" if n % 3 else "call",
            follow_up_on=TODAY - timedelta(days=1),
        )
        services.life_event_add(
            user=owner,
            person=someone,
            kind="new_job",
            occurred_on=TODAY - timedelta(days=n % 20),
            congratulated=n % 2 == 0,
        )
        services.favour_add(
            user=owner,
            person=someone,
            direction="received",
            description="tip",
            occurred_on=TODAY - timedelta(days=3),
        )


@pytest.mark.parametrize("size", [3, 30])
def test_all_candidates_take_a_constant_number_of_queries(
    owner, size, django_assert_max_num_queries
):
    _network(owner, size)
    with django_assert_max_num_queries(12):
        found = providers.candidates_for(owner, TODAY)
    assert found
