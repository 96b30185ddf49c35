"""The pure matching of imported people (no database)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from cairn.exchange import matching
from cairn.exchange.matching import Existing, PeopleIndex
from cairn.exchange.records import IncomingContact, IncomingPerson, IncomingRole, PartialDate


def incoming(name, *contacts, org="", **values):
    roles = [IncomingRole(org)] if org else []
    return IncomingPerson("c.csv", 2, name, contacts=list(contacts), roles=roles, **values)


def link(url):
    return IncomingContact("link", url)


def test_linkedin_links_match_whatever_their_dress():
    key = "linkedin.com/in/ana-ruiz"
    for url in (
        "https://www.linkedin.com/in/ana-ruiz",
        "http://linkedin.com/in/Ana-Ruiz/",
        "linkedin.com/in/ana-ruiz/fr",
        "https://uk.linkedin.com/in/ana-ruiz/en-gb?trk=profile",
        "www.linkedin.com/in/ana%2Druiz",
    ):
        assert matching.link_key(url) == key, url
    assert matching.link_key("https://linkedin.com/in/ana-ruiz-2") != key
    assert matching.link_key("https://example.com/Ana/") == "example.com/Ana"
    assert matching.link_key("not a link") is None


def test_emails_and_phones_are_keyed_like_the_network():
    assert matching.email_key(" Ana@Example.COM ") == "ana@example.com"
    assert matching.email_key("ana@") is None
    assert matching.phone_key("+44 20 7946 0000") == "+442079460000"
    assert matching.phone_key("020 7946 0000") is None  # no country code: never guessed


@given(
    slug=st.from_regex(r"[a-z][a-z0-9-]{1,20}", fullmatch=True),
    www=st.booleans(),
    scheme=st.sampled_from(["", "http://", "https://", "HTTPS://"]),
    slash=st.booleans(),
    locale=st.sampled_from(["", "/fr", "/en", "/de-de"]),
    upper=st.booleans(),
)
def test_any_dress_of_a_profile_link_keys_the_same(slug, www, scheme, slash, locale, upper):
    url = f"{scheme}{'www.' if www else ''}linkedin.com/in/{slug.upper() if upper else slug}"
    url += locale + ("/" if slash else "")
    assert matching.link_key(url) == f"linkedin.com/in/{slug}"


@given(st.text(max_size=60))
def test_keys_never_raise(text):
    for kind in ("email", "phone", "link"):
        key = matching.contact_key(kind, text)
        assert key is None or isinstance(key, str)


@given(st.emails())
def test_an_email_key_is_stable(email):
    key = matching.email_key(email)
    if key is not None:
        assert matching.email_key(key) == key
        assert matching.email_key(email.upper()) in (key, None)


def index(*people):
    return PeopleIndex(people)


def ana(**values):
    return Existing(
        1, "Ana Ruiz", values, {("link", "linkedin.com/in/ana-ruiz")}, ["Acme Inc."],
        {("acme", "PM")}, {"friends"},
    )  # fmt: skip


def test_the_same_link_is_an_exact_match():
    person = incoming("A. R.", link("linkedin.com/in/Ana-Ruiz/"))
    found = matching.match_person(person, index(ana()))
    assert found.kind == "exact" and found.best.person_id == 1
    assert "profile link" in found.best.reason


def test_contacts_pointing_to_two_people_are_a_conflict_to_decide():
    bea = Existing(2, "Bea Lopez", {}, {("email", "bea@example.com")})
    email = IncomingContact("email", "bea@example.com")
    found = matching.match_person(
        incoming("Ana", link("linkedin.com/in/ana-ruiz"), email), index(ana(), bea)
    )
    assert found.kind == "conflict"
    assert {c.person_id for c in found.candidates} == {1, 2}


def test_a_similar_name_is_only_proposed_and_an_organisation_lifts_it():
    people = index(ana(), Existing(3, "Kim Leung", {}, organisations=["Globex"]))
    assert matching.match_person(incoming("Ana Ruis"), people).kind == "proposed"
    assert matching.match_person(incoming("Kimi Leong"), people).kind == "none"
    lifted = matching.match_person(incoming("Kimi Leong", org="Globex Ltd"), people)
    assert lifted.kind == "proposed" and "also at Globex" in lifted.best.reason
    assert matching.match_person(incoming("Eva Ruiz"), people).kind == "none"


def test_swapped_and_accented_names_are_found():
    people = index(Existing(4, "José Álvarez"))
    assert matching.match_person(incoming("Alvarez Jose"), people).best.person_id == 4


def test_blocking_keeps_the_candidates_few():
    people = index(*(Existing(i, f"Person{i} Name{i}") for i in range(1, 2000)))
    assert len(people.block(["person5", "name5"])) < 2000
    assert len(people.block(["zed", "quux"])) == 0


def test_a_merge_fills_only_empty_fields_and_lists_conflicts():
    plan = matching.plan_merge(
        ana(headline="", location="Madrid", met_on=None),
        incoming(
            "Ana Ruiz", link("https://linkedin.com/in/ana-ruiz"),
            IncomingContact("email", "ana@example.com"), org="ACME", headline="PM",
            location="Paris", connected_on=date(2024, 7, 4), circles=["Friends", "Climbing"],
        ),
    )  # fmt: skip
    assert plan.fills == {"headline": "PM", "met_on": date(2024, 7, 4)}
    assert plan.conflicts == {"location": ("Madrid", "Paris")}
    assert [c[1] for c in plan.contacts] == ["ana@example.com"]
    assert plan.roles == []  # ACME is Acme Inc., and no title says otherwise
    assert plan.circles == ["Climbing"]


def test_a_birthday_fills_a_missing_year_and_conflicts_on_another_day():
    have = ana(birthday=PartialDate(3, 31))
    assert matching.plan_merge(have, incoming("Ana", birthday=PartialDate(3, 31, 1990))).fills
    other = matching.plan_merge(have, incoming("Ana", birthday=PartialDate(4, 1)))
    assert "birthday" in other.conflicts
    assert not matching.plan_merge(have, incoming("Ana", birthday=PartialDate(2, 30))).fills


def test_within_the_index_added_people_are_found():
    people = index()
    people.add(Existing(-1, "Bea Lopez", {}, {("link", "linkedin.com/in/bea")}))
    found = matching.match_person(incoming("Bea", link("linkedin.com/in/bea/")), people)
    assert found.kind == "exact" and found.best.person_id == -1


@given(
    slug=st.from_regex(r"[A-Za-z0-9_-]{1,30}", fullmatch=True),
    www=st.booleans(),
    scheme=st.sampled_from(["http://", "https://", "HTTPS://"]),
    host=st.sampled_from(["linkedin.com", "LinkedIn.com"]),
    tail=st.sampled_from(["", "/", "/fr", "/en/"]),
)
def test_the_link_shortcut_agrees_with_the_network(slug, www, scheme, host, tail):
    from cairn.exchange.imports import _normalized
    from cairn.network import contacts

    url = f"{scheme}{'www.' if www else ''}{host}/in/{slug}{tail}"
    assert _normalized("link", url) == contacts.normalize_url(url)
    assert matching.link_key(url) == matching.link_key_general(url)
