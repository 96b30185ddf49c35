"""Token authentication for the API: who gets in, who does not, and what read-only means."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from cairn.accounts.models import ApiToken
from cairn.accounts.services import api_token_create, api_token_revoke
from cairn.testing import api_client_for, client_for

ME = "/api/v1/me"


def bearer(secret: str) -> Client:
    return Client(headers={"authorization": f"Bearer {secret}"})


def assert_unauthenticated(response) -> None:
    assert response.status_code == 401
    assert response.json() == {"error": "A valid API token is required.", "code": "unauthenticated"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_token_gets_in(owner):
    _, secret = api_token_create(user=owner, name="script")
    response = bearer(secret).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == owner.email


def test_the_scheme_is_case_insensitive(owner):
    _, secret = api_token_create(user=owner, name="script")
    client = Client(headers={"authorization": f"bearer {secret}"})
    assert client.get(ME).status_code == 200


def test_no_token_is_refused(client, db):
    assert_unauthenticated(client.get(ME))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cairn_not-a-real-token",
        "Bearer not-even-the-prefix",
        "Bearer ",
        "Token cairn_whatever",
        "Basic b3duZXJAZXhhbXBsZS5jb206Y29ycmVjdCBob3JzZQ==",
    ],
)
def test_a_wrong_token_or_scheme_is_refused(owner, header):
    assert_unauthenticated(Client(headers={"authorization": header}).get(ME))


def test_a_token_with_a_character_changed_is_refused(owner):
    _, secret = api_token_create(user=owner, name="script")
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert_unauthenticated(bearer(tampered).get(ME))


def test_a_token_in_the_query_string_is_not_accepted(owner, client):
    # Query strings end up in access logs and browser history.
    _, secret = api_token_create(user=owner, name="script")
    assert_unauthenticated(client.get(ME, {"token": secret}))


def test_a_revoked_token_is_refused(owner):
    token, secret = api_token_create(user=owner, name="script")
    client = bearer(secret)
    assert client.get(ME).status_code == 200
    api_token_revoke(user=owner, token_id=token.pk)
    assert_unauthenticated(client.get(ME))


def test_the_token_of_a_deactivated_account_is_refused(owner):
    _, secret = api_token_create(user=owner, name="script")
    owner.is_active = False
    owner.save()
    assert_unauthenticated(bearer(secret).get(ME))


def test_writes_without_a_token_are_refused_too(owner, client):
    response = client.patch(ME, {"display_name": "Anyone"}, content_type="application/json")
    assert_unauthenticated(response)
    owner.refresh_from_db()
    assert owner.display_name == "Olive Owner"


def test_a_session_cookie_alone_does_not_authenticate(owner):
    # A logged-in browser tab must not turn into API access (and a CSRF hole for writes).
    browser = client_for(owner)
    assert_unauthenticated(browser.get(ME))
    response = browser.patch(ME, {"display_name": "Via cookie"}, content_type="application/json")
    assert_unauthenticated(response)
    owner.refresh_from_db()
    assert owner.display_name == "Olive Owner"


def test_using_a_token_records_when_it_was_last_used(owner):
    token, secret = api_token_create(user=owner, name="script")
    assert token.last_used_at is None
    before = timezone.now()
    bearer(secret).get(ME)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_at >= before


# read-only tokens


def test_a_read_only_token_can_read(owner):
    response = api_client_for(owner, read_only=True).get(ME)
    assert response.status_code == 200
    assert response.json()["token_read_only"] is True


def test_a_read_only_patch_is_refused_with_read_only(owner):
    response = api_client_for(owner, read_only=True).patch(
        ME, {"display_name": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"error": "This token is read-only.", "code": "read_only"}
    owner.refresh_from_db()
    assert owner.display_name == "Olive Owner"


def test_a_read_write_token_can_write(owner):
    response = api_client_for(owner).patch(
        ME, {"display_name": "Changed"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(owner=owner, read_only=False).exists()


def test_an_unknown_api_path_answers_in_the_api_error_shape(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "error": "No such API endpoint: see /api/v1/docs.",
        "code": "not_found",
    }


def test_a_wrong_method_answers_in_the_api_error_shape(owner):
    response = api_client_for(owner).delete(ME)
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "DELETE is not allowed here" in response.json()["error"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}
