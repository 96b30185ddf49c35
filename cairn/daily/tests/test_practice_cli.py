"""cairn streak."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cairn.network import services as network

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("streak", *args, "--user", "owner@example.com", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def talked(owner):
    today = timezone.localdate(timezone=owner.zone)
    ana = network.person_create(user=owner, full_name="Ana Ruiz", today=today)
    for n in (0, 1, 2, 5, 6, 7, 8):
        network.interaction_log(
            user=owner, people=[ana], summary="Call", occurred_on=today - timedelta(days=n),
            today=today,
        )  # fmt: skip
    return today


def test_streak_prints_the_current_and_longest_run(owner, talked):
    out = run()
    assert "Current streak: 3 days" in out
    assert "Longest streak: 4 days" in out
    assert "This week" in out and "conversations" in out


def test_streak_with_nothing_done_says_how_to_start(owner):
    assert "none yet" in run()


def test_streak_as_json(owner, talked):
    data = json.loads(run("--json"))
    assert data["current"]["days"] == 3 and data["longest"]["days"] == 4
    assert data["current"]["end"] == talked.isoformat() and data["active_today"] is True
    week = data["week"]
    assert set(week) >= {"monday", "active_days", "conversations", "favours_given"}
    assert week["conversations"] == week["active_days"]  # one call a day
