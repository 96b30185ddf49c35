"""vCard, CSV and iCalendar exports: what they hold, that they read back, that they are safe."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from cairn.core.errors import DomainError
from cairn.exchange import export
from cairn.exchange.formats import read_bytes
from cairn.exchange.records import PartialDate
from cairn.network.models import (
    Circle,
    ContactPoint,
    Interaction,
    Organisation,
    Person,
    Role,
)

pytestmark = pytest.mark.django_db


def add_ana(user, **extra) -> Person:
    ana = Person.objects.create(
        owner=user,
        full_name="Ana María Ruiz",
        given_name="Ana María",
        family_name="Ruiz",
        sort_name="ruiz ana maria",
        headline="Builds bridges",
        location="Lyon",
        notes="Met at the bridge conference.\nLoves maps; asks good questions, too.",
        birthday_month=3,
        birthday_day=31,
        **extra,
    )
    acme = Organisation.objects.create(owner=user, name="Acme; Bridges")
    old = Organisation.objects.create(owner=user, name="Old Place")
    Role.objects.create(owner=user, person=ana, organisation=acme, title="Lead engineer")
    Role.objects.create(owner=user, person=ana, organisation=old, title="Intern", is_current=False)
    points = [
        ("email", "ana@acme.example", "work"),
        ("email", "ana@home.example", ""),
        ("phone", "+33 6 12 34 56 78", "mobile"),
        ("phone", "+33 4 00 00 00 00", "Studio"),
        ("link", "https://www.linkedin.com/in/ana-ruiz", "LinkedIn"),
        ("link", "https://ana.example/", "home"),
    ]
    for kind, value, label in points:
        ContactPoint.objects.create(
            owner=user, person=ana, kind=kind, value=value, normalized=value.lower(), label=label
        )
    for name in ("Mentors", "Ex-colleagues, Lyon"):
        ana.circles.add(Circle.objects.create(owner=user, name=name))
    return ana


def vcf(user, **kwargs) -> str:
    return "".join(export.vcards(user, **kwargs))


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_vcard_holds_the_person(owner, version):
    add_ana(owner)
    card = vobject.readOne(vcf(owner, version=version))
    assert card.version.value == version
    assert card.fn.value == "Ana María Ruiz"
    assert (card.n.value.given, card.n.value.family) == ("Ana María", "Ruiz")
    assert card.org.value == ["Acme; Bridges"]
    assert card.title.value == "Lead engineer"
    emails = {line.value: line.params.get("TYPE", []) for line in card.contents["email"]}
    assert set(emails) == {"ana@acme.example", "ana@home.example"}
    assert "work" in [t.lower() for t in emails["ana@acme.example"]]
    assert card.x_socialprofile.value == "https://www.linkedin.com/in/ana-ruiz"
    assert card.x_socialprofile.params["TYPE"] == ["linkedin"]
    assert sorted(card.categories.value) == ["Ex-colleagues, Lyon", "Mentors"]
    assert card.note.value.startswith("Met at the bridge conference.\nLoves maps;")
    assert card.bday.value == ("--0331" if version == "4.0" else "--03-31")


def test_a_birthday_with_its_year(owner):
    add_ana(owner, birthday_year=1990)
    assert "BDAY:1990-03-31" in vcf(owner)
    assert "BDAY:19900331" in vcf(owner, version="4.0")


def test_an_unknown_version_is_refused(owner):
    with pytest.raises(DomainError, match=r"3\.0 or 4\.0"):
        vcf(owner, version="2.1")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcards_read_back_through_the_importer(owner, version):
    ana = add_ana(owner, birthday_year=1990)
    parsed = read_bytes(vcf(owner, version=version).encode(), name="people.vcf")
    people = list(parsed.people)
    assert [p.full_name for p in people] == [ana.full_name]
    person = people[0]
    assert (person.given_name, person.family_name) == ("Ana María", "Ruiz")
    assert person.notes == ana.notes
    assert person.birthday == PartialDate(month=3, day=31, year=1990)
    assert sorted(person.circles) == ["Ex-colleagues, Lyon", "Mentors"]
    assert [(r.organisation, r.title) for r in person.roles] == [("Acme; Bridges", "Lead engineer")]
    contacts = {(c.kind, c.value, c.label.lower()) for c in person.contacts}
    expected = {(p.kind, p.value, p.label.lower()) for p in ContactPoint.objects.filter(person=ana)}
    assert contacts == expected


def test_people_are_chosen_by_circle_or_search(owner):
    add_ana(owner)
    Person.objects.create(owner=owner, full_name="Bo Lindqvist", sort_name="lindqvist bo")
    Person.objects.create(
        owner=owner, full_name="Binned Person", sort_name="binned", deleted_at="2026-01-01T00:00Z"
    )
    assert vcf(owner).count("BEGIN:VCARD") == 2
    mentors = vcf(owner, choice=export.PeopleChoice(circle="mentors"))
    assert mentors.count("BEGIN:VCARD") == 1 and "Ana" in mentors
    found = vcf(owner, choice=export.PeopleChoice(query="acme"))
    assert found.count("BEGIN:VCARD") == 1 and "Ana" in found
    assert "Binned" not in vcf(owner, choice=export.PeopleChoice(query="person"))
    with pytest.raises(DomainError, match="no circle called “Knitting”"):
        vcf(owner, choice=export.PeopleChoice(circle="Knitting"))


def test_a_stranger_s_circle_is_not_one_of_yours(owner, stranger):
    Circle.objects.create(owner=stranger, name="Theirs")
    with pytest.raises(DomainError):
        vcf(owner, choice=export.PeopleChoice(circle="Theirs"))


# ---------------------------------------------------------------- CSV


@given(st.text())
def test_a_cell_never_starts_a_formula(text):
    cell = export.safe_cell(text)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert cell == "'" + text
    else:
        assert cell == text
    assert str(cell)[:1] not in ("=", "+", "-", "@", "\t", "\r")


@given(st.lists(st.lists(st.text() | st.integers(), min_size=2, max_size=2), max_size=20))
def test_csv_reads_back_cell_for_cell(rows):
    text = "".join(export.csv_rows(["a", "b"], rows))
    assert text.startswith(export.BOM)
    read = list(csv.reader(io.StringIO(text.removeprefix(export.BOM), newline="")))
    assert read[0] == ["a", "b"]
    assert read[1:] == [[str(export.safe_cell(v)) for v in row] for row in rows]


def csv_of(chunks) -> list[dict[str, str]]:
    text = "".join(chunks)
    assert text.startswith(export.BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(export.BOM), newline="")))


def test_people_csv(owner):
    add_ana(owner)
    Person.objects.create(owner=owner, full_name='=HYPERLINK("http://x")', sort_name="zz")
    rows = csv_of(export.people_csv(owner))
    assert [row["Name"] for row in rows] == ["Ana María Ruiz", '\'=HYPERLINK("http://x")']
    ana = rows[0]
    assert ana["Organisation"] == "Acme; Bridges" and ana["Title"] == "Lead engineer"
    assert "ana@acme.example (work)" in ana["Emails"]
    assert ana["Phones"].startswith("'+33")
    assert ana["Circles"] == "Ex-colleagues, Lyon; Mentors"
    assert ana["Birthday"] == "31 March"


def test_when_someone_was_added_is_in_the_users_own_time_zone(owner):
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: 20:30 UTC is 10:30 the next day
    owner.save()
    ana = add_ana(owner)
    Person.objects.filter(pk=ana.pk).update(created_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    [row] = csv_of(export.people_csv(owner))
    assert row["Added"] == "2026-03-02 10:30"


def test_organisations_and_interactions_csv(owner):
    ana = add_ana(owner)
    talk = Interaction.objects.create(
        owner=owner, occurred_on=date(2026, 3, 2), kind="coffee", summary="-5% budget talk"
    )
    talk.people.add(ana)
    organisations = csv_of(export.organisations_csv(owner))
    assert [(o["Name"], o["People there now"]) for o in organisations] == [
        ("Acme; Bridges", "1"),
        ("Old Place", "0"),
    ]
    interactions = csv_of(export.interactions_csv(owner))
    assert interactions == [
        {
            "Date": "2026-03-02",
            "Time": "",
            "Kind": "Coffee",
            "Direction": "I reached out",
            "With": "Ana María Ruiz",
            "Organisation": "",
            "Summary": "'-5% budget talk",
            "Notes": "",
            "Follow up on": "",
            "Followed up": "",
        }
    ]


def test_calendar_holds_follow_ups(owner):
    from django.utils import timezone

    ana = add_ana(owner)
    talk = Interaction.objects.create(
        owner=owner,
        occurred_on=timezone.localdate(),
        summary="Coffee",
        follow_up_on=timezone.localdate(),
    )
    talk.people.add(ana)
    calendar = icalendar.Calendar.from_ical(export.calendar_ics(owner))
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert any("Ana" in summary for summary in summaries), summaries
