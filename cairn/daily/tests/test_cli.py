"""cairn today, done and snooze."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cairn.daily.models import AgendaItem
from cairn.network import services as network
from cairn.network.models import Interaction, Person

pytestmark = pytest.mark.django_db
OWNER = "owner@example.com"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, "--user", OWNER, stdout=out, stderr=StringIO())
    return out.getvalue()


def fails(*args) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


@pytest.fixture
def due(owner):
    today = timezone.localdate(timezone=owner.zone)
    for n in range(5):
        person = network.person_create(
            user=owner, full_name=f"Person {n}", cadence_days=60,
            today=today - timedelta(days=400),
        )  # fmt: skip
        network.interaction_log(
            user=owner, people=[person], summary="Lunch",
            occurred_on=today - timedelta(days=90 + n), today=today,
        )  # fmt: skip
    return today


def test_today_prints_each_item_with_its_why(owner, due):
    out = run("today")
    assert "  1. [ ] Get in touch with Person 4" in out
    assert "why: last talked 94 days ago; you planned every 60" in out
    assert "More if you have time:" in out


def test_today_as_json(owner, due):
    data = json.loads(run("today", "--json"))
    assert data["day"] == due.isoformat() and data["limit"] == 3
    assert [i["number"] for i in data["items"]] == [1, 2, 3, 4, 5]
    assert [i["more"] for i in data["items"]] == [False] * 3 + [True] * 2
    assert all(i["why"] for i in data["items"])


def test_today_with_nothing_due(owner):
    assert "Nothing is due yet" in run("today")


def test_done_by_number_logs_the_conversation(owner, due):
    run("today")
    out = run("done", "1", "--note", "Sent a card")
    assert out.startswith("Done: Get in touch with Person 4")
    assert Interaction.objects.filter(summary="Sent a card").exists()
    assert Person.objects.get(full_name="Person 4").last_contact_on == due
    assert "[✓] Get in touch with Person 4" in run("today")
    assert "note: Sent a card" in run("today")


def test_done_by_id(owner, due):
    item = AgendaItem.objects.get(pk=json.loads(run("today", "--json"))["items"][1]["id"])
    run("done", f"#{item.pk}")
    item.refresh_from_db()
    assert item.state == "done"


def test_done_refusals_name_the_item(owner, due):
    assert "no item 9" in fails("done", "9")
    assert "neither a number" in fails("done", "first")
    run("done", "1")
    assert "already done" in fails("done", "1")


def test_an_item_of_another_account_is_not_found(owner, due, stranger):
    run("today")
    item = AgendaItem.objects.for_user(owner).first()
    out = StringIO()
    with pytest.raises(CommandError, match="no item"):
        call_command("done", f"#{item.pk}", "--user", stranger.email, stdout=out)


@pytest.mark.parametrize(("until", "days"), [("tomorrow", 1), ("next-week", 7)])
def test_snooze_with_words(owner, due, until, days):
    out = run("snooze", "2", "--until", until)
    assert out.startswith("Snoozed until")
    data = json.loads(run("today", "--json"))["items"][1]
    assert data["state"] == "snoozed"
    assert data["snoozed_until"] == (due + timedelta(days=days)).isoformat()


def test_snooze_until_a_date(owner, due):
    until = due + timedelta(days=12)
    run("snooze", "1", "--until", until.isoformat())
    assert AgendaItem.objects.get(state="snoozed").snoozed_until == until


def test_snooze_refusals(owner, due):
    assert "not a date" in fails("snooze", "1", "--until", "someday")
    assert "--until" in fails("snooze", "1", "--until", due.isoformat())
