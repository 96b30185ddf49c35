import re
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cairn.network.contacts import normalize_email
from cairn.network.models import Interaction
from cairn.network.names import fold
from cairn.network.quickadd import (
    CONNECTORS,
    KIND_WORDS,
    ParsedPerson,
    infer_kind,
    parse_day,
    parse_person,
)


def test_it_reads_name_role_and_where_we_met():
    parsed = parse_person("Ana Ruiz, PM at Acme, met at PyCon 2024")
    assert parsed == ParsedPerson(
        full_name="Ana Ruiz",
        title="PM",
        organisation="Acme",
        met_at="PyCon 2024",
        met_on=2024,
        how_met="met at PyCon 2024",
    )
    assert parsed.warnings == ()


def test_it_reads_an_email_in_angle_brackets_an_at_sign_and_an_introducer():
    parsed = parse_person("Bo Chen <bo@example.com> — Staff Engineer @ Initech; met via Ana Ruiz")
    assert parsed.full_name == "Bo Chen"
    assert parsed.emails == ("bo@example.com",)
    assert (parsed.title, parsed.organisation) == ("Staff Engineer", "Initech")
    assert parsed.introduced_by_name == "Ana Ruiz"
    assert parsed.how_met == "met via Ana Ruiz"
    assert parsed.warnings == ()


def test_it_reads_pronouns_location_phone_and_a_link_without_scheme():
    parsed = parse_person(
        "Dr. Kim Lee (she/her), CTO at Globex, Berlin, +49 30 1234567, linkedin.com/in/kimlee"
    )
    assert parsed.full_name == "Dr. Kim Lee"
    assert parsed.pronouns == "she/her"
    assert (parsed.title, parsed.organisation) == ("CTO", "Globex")
    assert parsed.location == "Berlin"
    assert parsed.phones == ("+49 30 1234567",)
    assert parsed.links == ("linkedin.com/in/kimlee",)
    assert parsed.notes == "" and parsed.warnings == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Ana Ruiz PM at Acme met at PyCon 2024 via Bo Chen",
            {"full_name": "Ana Ruiz", "title": "PM", "organisation": "Acme",
             "met_at": "PyCon 2024", "met_on": 2024, "introduced_by_name": "Bo Chen"},
        ),
        (
            "Jan van der Berg | Head of Data @ Booking.com | based in Amsterdam | jan@booking.com",
            {"full_name": "Jan van der Berg", "title": "Head of Data",
             "organisation": "Booking.com", "location": "Amsterdam",
             "emails": ("jan@booking.com",), "links": ()},
        ),
        (
            "Sam Patel - Senior Product Manager at Shopify - met in Toronto in 2019",
            {"full_name": "Sam Patel", "title": "Senior Product Manager",
             "organisation": "Shopify", "met_at": "Toronto", "met_on": 2019},
        ),
        (
            "Lea Roux, works at Doctolib, met on March 12, 2024 at a meetup, "
            "introduced by Marc Dubois",
            {"full_name": "Lea Roux", "title": "", "organisation": "Doctolib",
             "met_at": "a meetup", "met_on": date(2024, 3, 12),
             "introduced_by_name": "Marc Dubois"},
        ),
        (
            "Tom Ng, currently a designer at Figma, met through work, 555 123 4567",
            {"full_name": "Tom Ng", "title": "designer", "organisation": "Figma",
             "how_met": "met through work", "introduced_by_name": "",
             "phones": ("555 123 4567",)},
        ),
        (
            "Maria Garcia, Rio de Janeiro, Brazil, https://www.mariagarcia.dev/",
            {"location": "Rio de Janeiro, Brazil", "links": ("https://www.mariagarcia.dev/",)},
        ),
        ("Ana Ruiz at Acme", {"full_name": "Ana Ruiz", "organisation": "Acme", "title": ""}),
        ("Ana Ruiz CTO", {"full_name": "Ana Ruiz", "title": "CTO"}),
        ("Ana Ruiz Head of Product at Acme", {"full_name": "Ana Ruiz", "title": "Head of Product"}),
        # A surname that is also a job word stays a name.
        ("Ana Head", {"full_name": "Ana Head", "title": ""}),
        ("Ana Ruiz, she/her", {"pronouns": "she/her"}),
        ("Ana Ruiz, pronouns: they/them", {"pronouns": "they/them"}),
        ("Ana Ruiz, Berlin-based", {"location": "Berlin"}),
        ("Ana Ruiz, lives in São Paulo", {"location": "São Paulo"}),
        ("Ana Ruiz, met 2019", {"met_on": 2019, "met_at": ""}),
        ("Ana Ruiz, met in March 2021", {"met_on": 2021, "how_met": "met in March 2021"}),
        ("Ana Ruiz, met on 2023-05-04 at Web Summit", {"met_on": date(2023, 5, 4),
                                                      "met_at": "Web Summit"}),
        ("Ana Ruiz, met on 4th May 2023", {"met_on": date(2023, 5, 4)}),
        ("Ana Ruiz, met at Women in Tech", {"met_at": "Women in Tech", "met_on": None}),
        ("Ana Ruiz, met during the Lisbon offsite", {"met_at": "the Lisbon offsite"}),
        ("Ana Ruiz, via Bo Chen", {"introduced_by_name": "Bo Chen", "how_met": "via Bo Chen"}),
        ("Ana Ruiz, referred by Bo Chen", {"introduced_by_name": "Bo Chen"}),
        ("Ana Ruiz, met thanks to Bo Chen", {"introduced_by_name": "Bo Chen"}),
        ("Ana Ruiz, note: loves climbing", {"notes": "loves climbing"}),
        ("Ana Ruiz, http://ana.example.org/about", {"links": ("http://ana.example.org/about",)}),
        ("Ana Ruiz, www.anaruiz.es", {"links": ("www.anaruiz.es",)}),
        ("Ana Ruiz, tel: +34 612 34 56 78", {"phones": ("+34 612 34 56 78",), "notes": ""}),
        ("Ana Ruiz • PM @Acme", {"title": "PM", "organisation": "Acme"}),
        ("Ana Ruiz (Acme)", {"location": "Acme"}),
        ("  Ana   Ruiz  ,,  PM at Acme ;  ", {"full_name": "Ana Ruiz", "title": "PM"}),
    ],
)  # fmt: skip
def test_it_reads_realistic_lines(line, expected):
    parsed = parse_person(line)
    assert {key: getattr(parsed, key) for key in expected} == expected, parsed


def test_dates_and_year_ranges_are_not_phone_numbers():
    parsed = parse_person("Ana Ruiz, met on 2023-05-04, at Acme 2019 - 2024")
    assert parsed.phones == ()
    assert parsed.met_on == date(2023, 5, 4)


@pytest.mark.parametrize(
    "line",
    [
        "Ana Ruiz, ex-Google",
        "Ana Ruiz, likes climbing",
        "Ana Ruiz, @ana_r",
        "Ana Ruiz, in 2019",
        "Ana Ruiz, not-an-email@",
    ],
)
def test_what_it_cannot_place_goes_to_the_notes_with_a_warning(line):
    parsed = parse_person(line)
    leftover = line.split(", ", 1)[1]
    assert parsed.notes == leftover
    assert len(parsed.warnings) == 1 and leftover in parsed.warnings[0]


def test_a_second_role_is_kept_in_the_notes():
    parsed = parse_person("Ana Ruiz, PM at Acme, CTO at Globex")
    assert (parsed.title, parsed.organisation) == ("PM", "Acme")
    assert parsed.notes == "CTO at Globex"
    assert "second role" in parsed.warnings[0]


def test_several_contacts_of_each_kind_are_kept_in_order_once():
    parsed = parse_person(
        "Ana Ruiz, ana@acme.com, ana.ruiz@gmail.com, ANA@Acme.com, +34 612 34 56 78, "
        "+1 415 555 0100, github.com/anaruiz, https://anaruiz.dev/blog"
    )
    assert parsed.emails == ("ana@acme.com", "ana.ruiz@gmail.com")
    assert parsed.phones == ("+34 612 34 56 78", "+1 415 555 0100")
    assert parsed.links == ("github.com/anaruiz", "https://anaruiz.dev/blog")


def test_a_day_that_does_not_exist_keeps_its_year_and_its_words():
    parsed = parse_person("Ana Ruiz, met on 2023-02-30")
    assert parsed.met_on == 2023
    assert parsed.met_at == ""
    assert "2023-02-30" in parsed.how_met


def test_a_line_without_a_name_says_so():
    parsed = parse_person("met at PyCon")
    assert parsed.full_name == ""
    assert parsed.met_at == "PyCon"
    assert "No name" in parsed.warnings[0]
    assert parse_person("").warnings


# ---------------------------------------------------------------- properties

NAME_WORD = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzàéíñóöüøß", min_size=2, max_size=10)
    .map(str.capitalize)
    .filter(lambda word: word.lower() not in CONNECTORS)
)
PIECES = st.sampled_from(
    [
        ", ", "; ", " — ", " - ", " | ", " at ", " @ ", " met at ", " met in ", " via ",
        " introduced by ", "(she/her)", " <a.b@example.com> ", " x@y.co ", " +44 20 7946 0000 ",
        " linkedin.com/in/someone ", " https://example.org/x ", " 2024 ", " 2024-03-05 ",
        " March 5, 2024 ", " PM ", " CTO ", " Head of Data ", " Berlin ", " note: ", " (", ")",
        " ex-Acme ", " based in ", " tel: ",
    ]
)  # fmt: skip
LINES = st.builds(
    lambda first, rest: first + " " + "".join(rest),
    NAME_WORD,
    st.lists(st.one_of(PIECES, NAME_WORD, st.text(max_size=12)), max_size=12),
)


def _everything_kept(parsed: ParsedPerson) -> str:
    parts = [
        parsed.full_name, parsed.title, parsed.organisation, parsed.met_at, parsed.how_met,
        parsed.introduced_by_name, parsed.pronouns, parsed.location, parsed.notes,
        *parsed.emails, *parsed.phones, *parsed.links,
    ]  # fmt: skip
    return fold(" ".join(parts))


@settings(max_examples=200)
@given(st.text())
@example("\x00")
@example("(((((((")
@example("@ @ at at met via")
def test_any_text_parses_without_error_and_the_same_way_twice(text):
    first = parse_person(text)
    assert first == parse_person(text)
    assert first.warnings == parse_person(text).warnings


@settings(max_examples=200)
@given(LINES)
def test_a_line_with_a_leading_word_always_gives_a_name(line):
    assert parse_person(line).full_name


@settings(max_examples=200)
@given(st.one_of(LINES, st.text()))
@example("Ana Ruiz, PM at Acme, met at PyCon 2024")
@example("Ana\u00adRuiz <b@c.de>, works at Acme, tel: +1 415 555 0100")
def test_every_word_of_the_line_ends_up_somewhere(line):
    kept = _everything_kept(parse_person(line))
    for word in re.findall(r"\w+", line):
        assert fold(word) in kept or word.lower() in CONNECTORS, (word, line)


@settings(max_examples=200)
@given(st.one_of(LINES, st.text()))
def test_emails_found_are_valid(line):
    for email in parse_person(line).emails:
        assert normalize_email(email) == email.lower()


# ---------------------------------------------------------------- log lines


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("coffee with Ana Ruiz about product roles", "coffee"),
        ("Lunch with Bo", "meeting"),
        ("zoom call with Kim", "video"),
        ("video call with Kim", "video"),
        ("phone call with Kim", "call"),
        ("called Kim back", "call"),
        ("emailed Ana the deck", "email"),
        ("informational interview with Ana", "informational"),
        ("job interview at Acme with Bo", "job_interview"),
        ("messaged Ana on LinkedIn", "message"),
        ("saw Ana at the PyData meetup", "event"),
        ("thanked Ana", None),
    ],
)
def test_it_infers_the_interaction_kind_from_words(sentence, kind):
    assert infer_kind(sentence) == kind


def test_every_inferred_kind_is_an_interaction_kind():
    assert {kind for _, kind in KIND_WORDS} <= set(Interaction.Kind.values)


def test_it_reads_days():
    today = date(2026, 3, 1)
    assert parse_day("today", today=today) == today
    assert parse_day(" Yesterday ", today=today) == date(2026, 2, 28)
    assert parse_day("2025-12-31", today=today) == date(2025, 12, 31)


@pytest.mark.parametrize("text", ["", "tomorrowish", "2025-02-30", "31/12/2025", "2025-1-1"])
def test_it_refuses_what_is_not_a_day(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_day(text, today=date(2026, 3, 1))


# ---------------------------------------------------------------- the services

TODAY = date(2026, 11, 25)


def _person(user, name, **values):
    from cairn.network import services

    return services.person_create(user=user, full_name=name, today=TODAY, **values)


@pytest.mark.django_db
def test_quick_add_creates_person_organisation_role_and_how_met(owner):
    from cairn.network import services

    bo = _person(owner, "Bo Chen")
    result = services.person_quick_add(
        user=owner,
        line="Ana Ruiz (she/her), PM at Acme, met at PyCon 2024 via Bo Chen, ana@acme.com",
        today=TODAY,
    )
    ana = result.person
    assert result.created and result.merge is None
    assert ana.full_name == "Ana Ruiz" and ana.pronouns == "she/her"
    assert ana.how_met == "Met at PyCon 2024 via Bo Chen"
    assert ana.met_at == "PyCon 2024" and ana.met_on is None  # a year is not a day
    assert ana.introduced_by == bo
    assert result.organisation.name == "Acme"
    assert (result.role.title, result.role.person, result.role.is_current) == ("PM", ana, True)
    assert [(p.kind, p.normalized) for p in ana.contact_points.all()] == [("email", "ana@acme.com")]


@pytest.mark.django_db
def test_quick_add_reuses_an_organisation_of_the_same_name(owner):
    from cairn.network import services
    from cairn.network.models import Organisation

    acme = services.organisation_create(user=owner, name="ACME, Inc.")
    preview = services.quick_add_preview(user=owner, line="Ana Ruiz at acme", today=TODAY)
    assert preview.organisation_id == acme.pk
    result = services.person_quick_add(user=owner, line="Ana Ruiz at acme", today=TODAY)
    assert result.organisation == acme
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_the_preview_writes_nothing_and_explains_what_it_cannot_keep(owner):
    from cairn.network import services
    from cairn.network.models import Organisation, Person

    preview = services.quick_add_preview(
        user=owner,
        line="Ana Ruiz, 555 123 4567, met on 2027-01-01, via Zed Zhang, ex-Google",
        today=TODAY,
    )
    assert not Person.objects.exists() and not Organisation.objects.exists()
    assert preview.contact_points == ()  # no country code: kept in the notes instead
    assert preview.notes == "ex-Google; 555 123 4567"
    assert preview.met_on is None
    assert preview.introducer is None
    text = " ".join(preview.warnings)
    assert "555 123 4567" in text and "2027-01-01" in text and "Zed Zhang" in text


@pytest.mark.django_db
def test_an_ambiguous_introducer_is_not_linked(owner):
    from cairn.network import services

    _person(owner, "Bo Chen")
    _person(owner, "Bo Chan")
    result = services.person_quick_add(
        user=owner, line="Ana Ruiz, via Bo", today=TODAY, allow_duplicates=True
    )
    assert result.person.introduced_by is None
    assert any("Several people could be “Bo”" in w for w in result.preview.warnings)


@pytest.mark.django_db
def test_duplicates_by_email_link_phone_and_name(owner):
    from cairn.network import services
    from cairn.network.services import ContactInput

    ana = _person(owner, "Ana Ruiz", contact_points=[ContactInput("email", "Ana@Acme.com")])
    kim = _person(owner, "Kim Lee", contact_points=[ContactInput("link", "linkedin.com/in/kim")])
    tel = _person(owner, "Tel Person", contact_points=[ContactInput("phone", "+34 612 34 56 78")])
    john = _person(owner, "John Smith")
    services.role_add(
        user=owner,
        person=john,
        organisation=services.organisation_create(user=owner, name="Globex"),
    )

    def found(**query):
        query.setdefault("name", "")
        return [(d.person_id, d.score) for d in services.person_duplicates(user=owner, **query)]

    assert found(emails=["ana@ACME.com"]) == [(ana.pk, 100)]
    assert found(links=["https://www.linkedin.com/in/kim/"]) == [(kim.pk, 100)]
    assert found(phones=["+34612345678"]) == [(tel.pk, 100)]
    assert found(name="ana ruiz") == [(ana.pk, 100)]
    assert found(name="Jon Smyth") == []
    assert found(name="Jon Smyth", organisation="globex") == [(john.pk, 93)]
    assert found(emails=["not an email"], links=["ftp://x"]) == []
    (both,) = services.person_duplicates(user=owner, name="Ana Ruiz", emails=["ana@acme.com"])
    assert both.reason == "same email Ana@Acme.com; same name"


@pytest.mark.django_db
def test_quick_add_stops_at_a_duplicate_unless_told(owner):
    from cairn.network import services
    from cairn.network.models import Person

    ana = _person(owner, "Ana Ruiz")
    with pytest.raises(services.DuplicatesFound) as caught:
        services.person_quick_add(user=owner, line="Ana Ruiz, PM at Acme", today=TODAY)
    assert caught.value.field == "line" and caught.value.code == "duplicate"
    assert f"#{ana.pk} Ana Ruiz (same name)" in caught.value.message
    assert Person.objects.count() == 1
    again = services.person_quick_add(
        user=owner, line="Ana Ruiz, PM at Acme", today=TODAY, allow_duplicates=True
    )
    assert again.created and Person.objects.count() == 2


@pytest.mark.django_db
def test_quick_add_can_merge_into_the_existing_person_undoably(owner):
    from cairn.network import services
    from cairn.network.services import ContactInput

    ana = _person(owner, "Ana Ruiz", contact_points=[ContactInput("email", "ana@acme.com")])
    result = services.person_quick_add(
        user=owner,
        line="Ana Ruiz, PM at Acme, Berlin, ana@acme.com, ana@gmail.com",
        today=TODAY,
        confirm_merge_into=ana.pk,
    )
    assert not result.created and result.person == ana
    ana.refresh_from_db()
    assert ana.location == "Berlin"
    assert sorted(p.normalized for p in ana.contact_points.all()) == [
        "ana@acme.com",
        "ana@gmail.com",
    ]
    assert result.role.person == ana
    services.merge_undo(user=owner, record=result.merge)
    assert [p.normalized for p in ana.contact_points.all()] == ["ana@acme.com"]
    assert not ana.roles.exists()


@pytest.mark.django_db
def test_quick_add_refuses_bad_lines_with_the_field(owner, stranger):
    from cairn.core.errors import DomainError
    from cairn.network import services

    cases = [
        ("met at PyCon", {}, "line"),
        ("x" * 1001, {}, "line"),
        ("Ana Ruiz", {"confirm_merge_into": 99999}, "merge_into"),
        ("Ana Ruiz, pronouns: " + "she/" * 20 + "her", {}, "pronouns"),
    ]
    for line, extra, field in cases:
        with pytest.raises(DomainError) as caught:
            services.person_quick_add(user=owner, line=line, today=TODAY, **extra)
        assert caught.value.field == field, line
    theirs = _person(stranger, "Ana Ruiz")
    with pytest.raises(DomainError) as caught:
        services.person_quick_add(
            user=owner, line="Ana Ruiz", today=TODAY, confirm_merge_into=theirs.pk
        )
    assert caught.value.code == "not_found"


@pytest.mark.django_db
def test_duplicates_and_introducers_come_only_from_ones_own_network(owner, stranger):
    from cairn.network import services
    from cairn.network.services import ContactInput

    _person(stranger, "Ana Ruiz", contact_points=[ContactInput("email", "ana@acme.com")])
    _person(stranger, "Bo Chen")
    services.organisation_create(user=stranger, name="Acme")
    preview = services.quick_add_preview(
        user=owner, line="Ana Ruiz, PM at Acme, via Bo Chen, ana@acme.com", today=TODAY
    )
    assert preview.duplicates == ()
    assert preview.introducer is None
    assert preview.organisation_id is None


def test_a_link_glued_to_a_word_is_not_cut_out_of_it():
    line = "Aa AaHTTP://0.Aa"
    kept = _everything_kept(parse_person(line))
    for word in re.findall(r"\w+", line):
        assert fold(word) in kept
