"""The network's commands: cairn add person, log, find and who."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cairn.network import services
from cairn.network.models import Interaction, Organisation, Person
from cairn.network.services import ContactInput

pytestmark = pytest.mark.django_db
OWNER = "owner@example.com"


def run(*args, stdin=None) -> str:
    out = StringIO()
    extra = {"stdin": stdin} if stdin is not None else {}
    call_command(*args, "--user", OWNER, stdout=out, stderr=StringIO(), **extra)
    return out.getvalue()


def run_json(*args):
    return json.loads(run(*args, "--json"))


def fails(*args, stdin=None) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args, stdin=stdin)
    message = str(caught.value)
    assert "\n" not in message
    return message


class Terminal(StringIO):
    """Standard input typed at a terminal."""

    def isatty(self) -> bool:
        return True


def person(user, name, **values):
    return services.person_create(user=user, full_name=name, **values)


def today(user):
    return timezone.localdate(timezone=user.zone)


@pytest.fixture
def both(owner, stranger):
    """Two accounts with look-alike networks: everything here must stay the owner's."""
    theirs = {
        "ana": person(stranger, "Ana Ruiz", contact_points=[ContactInput("email", "ana@acme.com")]),
        "bo": person(stranger, "Bo Chen"),
    }
    globex = services.organisation_create(user=stranger, name="Globex")
    services.role_add(user=stranger, person=theirs["bo"], organisation=globex, title="CTO")
    return theirs


# ---------------------------------------------------------------- cairn add person


def test_add_person_shows_what_it_read_and_adds_them(owner, both):
    output = run("add", "person", "Ana Ruiz, PM at Acme, met at PyCon 2024, ana@acme.com")
    assert "organisation  Acme (new)" in output
    assert "met at        PyCon 2024" in output
    assert "email         ana@acme.com" in output
    ana = Person.objects.for_user(owner).get()
    assert f"Added Ana Ruiz (#{ana.pk}), PM at Acme." in output
    assert ana.roles.get().organisation.owner == owner
    # The stranger's Ana (same name, same email) was never a duplicate.
    assert "Already in your network" not in output


def test_add_person_json(owner):
    data = run_json("add", "person", "Bo Chen <bo@example.com> — Staff Engineer @ Initech")
    bo = Person.objects.for_user(owner).get()
    assert data["created"] is True and data["merged"] is False
    assert data["person"] == {"id": bo.pk, "full_name": "Bo Chen"}
    assert data["organisation"]["name"] == "Initech"
    assert data["role"]["title"] == "Staff Engineer"
    assert data["parsed"]["emails"] == ["bo@example.com"]
    assert data["contact_points"] == [{"kind": "email", "value": "bo@example.com", "label": ""}]
    assert data["duplicates"] == [] and data["warnings"] == []


def test_add_person_refuses_a_likely_duplicate_in_one_line(owner):
    ana = person(owner, "Ana Ruiz", contact_points=[ContactInput("email", "ana@acme.com")])
    message = fails("add", "person", "Ana Ruíz, ana@acme.com")
    assert f"#{ana.pk} Ana Ruiz (same email ana@acme.com; same name)" in message
    assert "--merge-into ID" in message and "--yes" in message
    assert Person.objects.count() == 1


def test_add_person_yes_adds_anyway_and_merge_into_merges(owner):
    ana = person(owner, "Ana Ruiz")
    run("add", "person", "Ana Ruiz, PM at Acme", "--yes")
    assert Person.objects.filter(deleted_at__isnull=True).count() == 2
    data = run_json("add", "person", "Ana Ruiz, Berlin", "--merge-into", str(ana.pk))
    assert data["merged"] is True and data["person"]["id"] == ana.pk
    ana.refresh_from_db()
    assert ana.location == "Berlin"


def test_add_person_asks_at_a_terminal(owner):
    ana = person(owner, "Ana Ruiz")
    output = run("add", "person", "Ana Ruiz, Berlin", stdin=Terminal(f"{ana.pk}\n"))
    assert "Type the id" in output and "Merged into Ana Ruiz" in output
    output = run("add", "person", "Ana Ruiz, Madrid", stdin=Terminal("a\n"))
    assert "Added Ana Ruiz" in output
    assert fails("add", "person", "Ana Ruiz", stdin=Terminal("\n")) == "Nothing added."


def test_add_person_dry_run_writes_nothing(owner):
    output = run("add", "person", "Ana Ruiz, PM at Acme", "--dry-run")
    assert "Dry run: nothing added." in output
    data = run_json("add", "person", "Ana Ruiz, PM at Acme", "--dry-run")
    assert data["dry_run"] is True and data["parsed"]["organisation"] == "Acme"
    assert not Person.objects.exists() and not Organisation.objects.exists()


def test_add_person_errors_are_one_clear_line(owner, stranger):
    theirs = person(stranger, "Ana Ruiz")
    assert "no name found" in fails("add", "person", "met at PyCon")
    assert "no person" in fails("add", "person", "Ana Ruiz", "--merge-into", str(theirs.pk))
    assert "at most 1,000 characters" in fails("add", "person", "a" * 1200)
    with pytest.raises(CommandError):
        run("add", "organisation", "Acme")


def test_add_person_needs_user_when_there_are_several_accounts(owner, stranger):
    with pytest.raises(CommandError, match="--user"):
        call_command("add", "person", "Ana Ruiz", stdout=StringIO())


# ---------------------------------------------------------------- cairn log


def test_log_finds_the_person_and_the_kind(owner, both):
    ana = person(owner, "Ana Ruiz")
    person(owner, "Ana Gomez")
    output = run("log", "coffee with Ana Ruiz about product roles")
    interaction = Interaction.objects.for_user(owner).get()
    assert list(interaction.people.all()) == [ana]
    assert interaction.kind == "coffee"
    assert interaction.summary == "coffee with Ana Ruiz about product roles"
    assert interaction.occurred_on == today(owner)
    assert f"with Ana Ruiz (#{ana.pk})" in output
    ana.refresh_from_db()
    assert ana.last_contact_on == today(owner)
    assert not Interaction.objects.for_user(both["ana"].owner).exists()


def test_log_several_people_kind_and_date_options(owner):
    ana, bo = person(owner, "Ana Ruiz"), person(owner, "Bo Chen")
    data = run_json("log", "lunch with ana and bo chen", "--on", "yesterday")
    assert data["interaction"]["kind"] == "meeting"
    assert data["interaction"]["occurred_on"] == (today(owner) - timedelta(days=1)).isoformat()
    assert [p["id"] for p in data["interaction"]["people"]] == [ana.pk, bo.pk]
    data = run_json(
        "log", "caught up", "--with", "Bo Chen", "--kind", "video", "--on", "2026-01-05"
    )
    assert data["interaction"]["kind"] == "video"
    assert data["interaction"]["occurred_on"] == "2026-01-05"
    assert data["interaction"]["people"] == [{"id": bo.pk, "full_name": "Bo Chen"}]
    assert set(data["interaction"]) == {"id", "kind", "occurred_on", "summary", "people"}


def test_log_without_a_kind_word_is_other(owner):
    person(owner, "Ana Ruiz")
    assert run_json("log", "thanked Ana Ruiz")["interaction"]["kind"] == "other"


def test_log_fails_clearly_when_the_name_is_ambiguous(owner):
    ruiz, gomez = person(owner, "Ana Ruiz"), person(owner, "Ana Gomez")
    message = fails("log", "coffee with Ana")
    assert f"#{ruiz.pk} Ana Ruiz" in message and f"#{gomez.pk} Ana Gomez" in message
    assert "--with" in message
    assert not Interaction.objects.exists()
    # An id settles it.
    data = run_json("log", "coffee with Ana", "--with", f"#{gomez.pk}")
    assert data["interaction"]["people"][0]["id"] == gomez.pk


def test_log_asks_at_a_terminal_when_ambiguous(owner):
    person(owner, "Ana Ruiz")
    gomez = person(owner, "Ana Gomez")
    output = run("log", "coffee with Ana", stdin=Terminal(f"{gomez.pk}\n"))
    assert "could be" in output
    assert list(Interaction.objects.get().people.all()) == [gomez]
    assert fails("log", "coffee with Ana", stdin=Terminal("nobody\n")) == "Nothing logged."


def test_log_without_a_match_suggests_adding_the_person(owner, both):
    # The stranger has an Ana Ruiz and a Bo Chen: they are never matched.
    message = fails("log", "coffee with Ana Ruiz")
    assert "cairn add person" in message
    message = fails("log", "coffee", "--with", "Bo Chen")
    assert message.startswith("--with: no one called “Bo Chen”")
    assert "no person" in fails("log", "coffee", "--with", f"#{both['bo'].pk}")
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("31/12/2025", "--on: '31/12/2025' is not a date: use YYYY-MM-DD, today or yesterday."),
        ("2025-02-30", "--on: '2025-02-30' is not a date"),
        ("tomorrow", "--on: 'tomorrow' is not a date"),
    ],
)
def test_log_bad_dates_name_the_option(owner, value, expected):
    person(owner, "Ana Ruiz")
    assert fails("log", "coffee with Ana Ruiz", "--on", value).startswith(expected)


def test_log_refuses_a_future_date(owner):
    person(owner, "Ana Ruiz")
    later = (today(owner) + timedelta(days=10)).isoformat()
    assert fails("log", "coffee with Ana Ruiz", "--on", later) == f"--on: {later} is in the future."


def test_log_refuses_an_unknown_kind_and_an_empty_sentence(owner):
    person(owner, "Ana Ruiz")
    with pytest.raises(CommandError, match="--kind"):
        run("log", "coffee with Ana Ruiz", "--kind", "telepathy")
    assert "what happened" in fails("log", "   ")


# ---------------------------------------------------------------- cairn find


def test_find_people_organisations_and_interactions(owner, both):
    ana = person(owner, "Ana Ruiz", contact_points=[ContactInput("email", "ana@acme.com")])
    acme = services.organisation_create(user=owner, name="Acme")
    services.role_add(user=owner, person=ana, organisation=acme, title="PM")
    services.interaction_log(user=owner, people=[ana], summary="Coffee about the Acme roadmap")
    output = run("find", "acme")
    assert f"person       #{ana.pk}" in output and f"organisation #{acme.pk}" in output
    assert "interaction" in output and "Coffee about the Acme roadmap" in output
    data = run_json("find", "ana ru", "--kind", "person")
    assert data["query"] == "ana ru"
    assert [(h["kind"], h["id"], h["title"]) for h in data["hits"]] == [
        ("person", ana.pk, "Ana Ruiz")
    ]
    assert set(data["hits"][0]) == {"kind", "id", "title", "detail"}
    assert run_json("find", "acme", "--limit", "1")["hits"][0]["kind"] in {
        "person",
        "organisation",
        "interaction",
    }


def test_find_never_shows_another_accounts_data(owner, both):
    assert run_json("find", "ana")["hits"] == []
    assert run_json("find", "globex")["hits"] == []
    assert "Nothing found" in run("find", "bo chen")


def test_find_refuses_an_empty_query(owner):
    assert "words to look for" in fails("find", "  ")
    assert "words to look for" in fails("find", "?!")
    assert "--limit" in fails("find", "ana", "--limit", "0")
    with pytest.raises(CommandError, match="--kind"):
        run("find", "ana", "--kind", "planet")


# ---------------------------------------------------------------- cairn who


@pytest.fixture
def network(owner):
    ana, bo, kim = person(owner, "Ana Ruiz"), person(owner, "Bo Chen"), person(owner, "Kim Lee")
    acme = services.organisation_create(user=owner, name="ACME, Inc.")
    services.role_add(user=owner, person=ana, organisation=acme, title="PM")
    services.role_add(
        user=owner,
        person=bo,
        organisation=acme,
        title="Engineer",
        started_on=today(owner) - timedelta(days=900),
        ended_on=today(owner) - timedelta(days=400),
    )
    services.person_update(user=owner, person=kim, fields=["Data science"], strength=4)
    services.link_add(user=owner, from_person=kim, to_person=ana, kind="worked_with")
    return {"ana": ana, "bo": bo, "kim": kim, "acme": acme}


def test_who_at_lists_current_then_past_roles_and_introductions(owner, network):
    lines = run("who", "--at", "acme").splitlines()
    assert lines[0] == "At ACME, Inc.:"
    assert lines[1] == f"  #{network['ana'].pk} Ana Ruiz — PM at ACME, Inc. (now)"
    assert lines[2].startswith(f"  #{network['bo'].pk} Bo Chen — Engineer at ACME, Inc. (")
    assert lines[2].endswith("(no longer there)")
    assert lines[3] == "Through people you know:"
    assert lines[4].startswith("  me → Kim Lee (strength 4") and "→ Ana Ruiz (PM at" in lines[4]


def test_who_at_json(owner, network):
    data = run_json("who", "--at", "Acme")
    assert data["kind"] == "organisation"
    assert data["matched"] == [{"id": network["acme"].pk, "name": "ACME, Inc.", "score": 100}]
    ana, bo = data["first_degree"]
    assert (ana["full_name"], ana["current"], bo["current"]) == ("Ana Ruiz", True, False)
    assert ana["roles"][0]["organisation"] == {"id": network["acme"].pk, "name": "ACME, Inc."}
    assert bo["roles"][0]["ended_on"] is not None
    (path,) = data["second_degree"]
    assert path["via"] == {"id": network["kim"].pk, "full_name": "Kim Lee"}
    assert path["target"]["id"] == network["ana"].pk
    assert path["evidence"] == ["worked with Kim Lee"] and path["inferred"] is False


def test_who_in_a_city(owner, network):
    services.person_update(user=owner, person=network["bo"], location="São Paulo")
    output = run("who", "--city", "sao paulo")
    assert f"#{network['bo'].pk} Bo Chen — lives in São Paulo" in output
    data = run_json("who", "--city", "Lisbon")
    assert data["kind"] == "city" and data["first_degree"] == []


def test_who_in_field_uses_fields_and_titles(owner, network):
    data = run_json("who", "--field", "data")
    assert [p["full_name"] for p in data["first_degree"]] == ["Kim Lee"]
    assert data["first_degree"][0]["reason"] == "field: Data science"
    data = run_json("who", "--field", "engineer")
    assert [p["full_name"] for p in data["first_degree"]] == []  # Bo's role has ended
    data = run_json("who", "--field", "pm")
    assert [p["full_name"] for p in data["first_degree"]] == ["Ana Ruiz"]
    assert data["first_degree"][0]["reason"] == "mentions “pm”"


def test_who_is_isolated_and_says_when_nothing_matches(owner, both):
    assert "No organisation in your network looks like “Globex”" in run("who", "--at", "Globex")
    assert run_json("who", "--at", "Globex")["first_degree"] == []
    assert "You know no one there yet" in run("who", "--field", "CTO")


def test_who_needs_one_question(owner):
    with pytest.raises(CommandError):
        run("who")
    with pytest.raises(CommandError):
        run("who", "--at", "Acme", "--field", "data")
    assert "--at: give a name" in fails("who", "--at", " ")
    assert "--limit" in fails("who", "--at", "Acme", "--limit", "0")
