"""GET /api/v1/today and done, snooze and skip on its items."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cairn.daily.models import AgendaItem, Deferral
from cairn.network import services as network
from cairn.network.models import Interaction
from cairn.testing import api_client_for

pytestmark = pytest.mark.django_db

TODAY = "/api/v1/today"


def due_people(owner, count):
    today = timezone.localdate(timezone=owner.zone)
    for n in range(count):
        person = network.person_create(
            user=owner, full_name=f"Person {n:02}", cadence_days=30, strength=n % 6,
            today=today - timedelta(days=400),
        )  # fmt: skip
        network.interaction_log(
            user=owner, people=[person], summary="Lunch",
            occurred_on=today - timedelta(days=60 + n), today=today,
        )  # fmt: skip


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def item_url(item_id, action):
    return f"{TODAY}/items/{item_id}/{action}"


def test_today_lists_the_days_few_and_the_extras_each_with_its_reason(owner):
    due_people(owner, 5)
    body = api_client_for(owner).get(TODAY).json()
    assert body["day"] == timezone.localdate(timezone=owner.zone).isoformat()
    assert body["limit"] == 3
    assert len(body["items"]) == 3 and len(body["more"]) == 2
    first = body["items"][0]
    assert first["state"] == "open" and first["is_extra"] is False
    assert first["why"].startswith("last talked") and "you planned every 30" in first["why"]
    assert first["key"].startswith("keep_in_touch:person:")
    assert all(item["is_extra"] for item in body["more"])


def test_today_is_the_same_agenda_on_each_call(owner):
    due_people(owner, 5)
    client = api_client_for(owner)
    assert client.get(TODAY).json() == client.get(TODAY).json()


def test_an_empty_day_has_no_items(owner):
    body = api_client_for(owner).get(TODAY).json()
    assert body["items"] == [] and body["more"] == []


def test_done_with_a_note_logs_the_conversation(owner):
    due_people(owner, 1)
    client = api_client_for(owner)
    [item] = client.get(TODAY).json()["items"]
    response = post(client, item_url(item["id"], "done"), {"note": "Called about the move"})
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "done" and body["note"] == "Called about the move"
    assert body["done_at"]
    assert Interaction.objects.for_user(owner).filter(summary="Called about the move").exists()
    assert client.get(TODAY).json()["items"][0]["state"] == "done"


def test_done_twice_is_a_clear_error(owner):
    due_people(owner, 1)
    client = api_client_for(owner)
    [item] = client.get(TODAY).json()["items"]
    post(client, item_url(item["id"], "done"))
    response = post(client, item_url(item["id"], "done"))
    assert response.status_code == 400
    assert response.json() == {"error": "This item is already done.", "code": "done"}


def test_snooze_until_a_later_day(owner):
    due_people(owner, 1)
    client = api_client_for(owner)
    [item] = client.get(TODAY).json()["items"]
    until = timezone.localdate(timezone=owner.zone) + timedelta(days=3)
    response = post(client, item_url(item["id"], "snooze"), {"until": until.isoformat()})
    assert response.status_code == 200
    assert response.json()["state"] == "snoozed"
    assert response.json()["snoozed_until"] == until.isoformat()
    assert Deferral.objects.get(owner=owner, key=item["key"]).until == until


@pytest.mark.parametrize(
    ("body", "status"), [({"until": "2000-01-01"}, 400), ({"until": "soon"}, 422), ({}, 422)]
)
def test_a_bad_snooze_date_names_the_field(owner, body, status):
    due_people(owner, 1)
    client = api_client_for(owner)
    [item] = client.get(TODAY).json()["items"]
    response = post(client, item_url(item["id"], "snooze"), body)
    assert response.status_code == status
    assert response.json()["field" if status == 400 else "details"]
    assert "until" in response.json()["error"]
    assert AgendaItem.objects.get(pk=item["id"]).state == "open"


def test_skip(owner):
    due_people(owner, 1)
    client = api_client_for(owner)
    [item] = client.get(TODAY).json()["items"]
    response = post(client, item_url(item["id"], "skip"))
    assert response.status_code == 200 and response.json()["state"] == "skipped"


def test_a_read_only_token_may_read_but_not_change(owner):
    due_people(owner, 1)
    client = api_client_for(owner, read_only=True)
    [item] = client.get(TODAY).json()["items"]
    response = post(client, item_url(item["id"], "done"))
    assert response.status_code == 403 and response.json()["code"] == "read_only"
    assert AgendaItem.objects.get(pk=item["id"]).state == "open"


def test_each_account_sees_only_its_own_day(owner, stranger):
    due_people(owner, 2)
    assert api_client_for(owner).get(TODAY).json()["items"]
    assert api_client_for(stranger).get(TODAY).json()["items"] == []


def test_another_accounts_item_is_not_found(owner, stranger):
    due_people(owner, 1)
    [item] = api_client_for(owner).get(TODAY).json()["items"]
    for action in ("done", "skip"):
        response = post(api_client_for(stranger), item_url(item["id"], action))
        assert response.status_code == 404
    assert AgendaItem.objects.get(pk=item["id"]).state == "open"
