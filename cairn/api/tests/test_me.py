"""GET and PATCH /api/v1/me: the account behind the token, and its preferences."""

from __future__ import annotations

import pytest

from cairn.accounts.models import User
from cairn.testing import api_client_for

ME = "/api/v1/me"


def patch(client, data):
    return client.patch(ME, data, content_type="application/json")


def test_me_is_the_account_behind_the_token(owner):
    response = api_client_for(owner).get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "id": owner.pk,
        "email": "owner@example.com",
        "display_name": "Olive Owner",
        "time_zone": "Europe/Paris",
        "daily_action_count": 3,
        "mode": "maintain",
        "token_read_only": False,
    }


def test_each_token_sees_only_its_own_account(owner, stranger):
    assert api_client_for(stranger).get(ME).json()["email"] == "stranger@example.com"
    assert api_client_for(owner).get(ME).json()["email"] == "owner@example.com"


def test_me_never_shows_the_password_hash(owner):
    body = api_client_for(owner).get(ME).content.decode()
    assert "argon2" not in body
    assert "password" not in body


def test_a_change_is_saved(owner):
    response = patch(
        api_client_for(owner),
        {"display_name": "Olive O.", "time_zone": "America/Toronto", "mode": "transition"},
    )
    assert response.status_code == 200
    assert response.json()["display_name"] == "Olive O."
    owner.refresh_from_db()
    assert (owner.display_name, owner.time_zone, owner.mode) == (
        "Olive O.",
        "America/Toronto",
        "transition",
    )


def test_fields_left_out_are_left_alone(owner):
    patch(api_client_for(owner), {"daily_action_count": 5})
    owner.refresh_from_db()
    assert owner.daily_action_count == 5
    assert (owner.display_name, owner.time_zone) == ("Olive Owner", "Europe/Paris")


def test_a_stranger_changes_only_their_own_account(owner, stranger):
    patch(api_client_for(stranger), {"display_name": "Renamed"})
    owner.refresh_from_db()
    stranger.refresh_from_db()
    assert owner.display_name == "Olive Owner"
    assert stranger.display_name == "Renamed"


def test_an_unknown_time_zone_names_the_field(owner):
    response = patch(api_client_for(owner), {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "time_zone"
    assert body["code"] == "invalid"
    assert "Mars/Olympus_Mons" in body["error"]
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Paris"


@pytest.mark.parametrize("count", [0, 11, -1])
def test_an_action_count_out_of_range_names_the_field(owner, count):
    response = patch(api_client_for(owner), {"daily_action_count": count})
    assert response.status_code == 400
    assert response.json()["field"] == "daily_action_count"
    owner.refresh_from_db()
    assert owner.daily_action_count == 3


def test_a_bad_change_saves_none_of_the_others(owner):
    response = patch(api_client_for(owner), {"display_name": "Half", "time_zone": "Nowhere/Land"})
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.display_name == "Olive Owner"


def test_a_wrong_type_is_a_validation_error_with_details(owner):
    response = patch(api_client_for(owner), {"daily_action_count": "lots"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation"
    assert body["error"].startswith("daily_action_count: ")
    [detail] = body["details"]
    assert detail["field"] == "daily_action_count"
    assert "integer" in detail["message"]


def test_every_invalid_field_is_in_the_details(owner):
    response = patch(api_client_for(owner), {"daily_action_count": "lots", "mode": "sprint"})
    assert response.status_code == 422
    fields = {detail["field"] for detail in response.json()["details"]}
    assert fields == {"daily_action_count", "mode"}


@pytest.mark.parametrize("field", ["email", "is_staff", "password", "displayname"])
def test_a_field_that_cannot_be_changed_is_refused_not_ignored(owner, field):
    response = patch(api_client_for(owner), {field: "x@example.org"})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == field
    owner.refresh_from_db()
    assert owner.email == "owner@example.com"
    assert not owner.is_staff


def test_a_body_that_is_not_json_gets_the_error_shape(owner):
    response = api_client_for(owner).patch(ME, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "code"}


def test_an_empty_change_changes_nothing(owner):
    response = patch(api_client_for(owner), {})
    assert response.status_code == 200
    assert User.objects.get(pk=owner.pk).display_name == "Olive Owner"
