"""Test support, loaded as a pytest plugin: three personas and the stranger-gets-404 check.

- `owner` owns the objects under test,
- `collaborator` is another account that the owner works with (a coach, later with a grant),
- `stranger` is any other account: every object of the owner's must be a 404 to them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

# Tests never touch a real data directory (secret key, SQLite file, backups).
os.environ["CAIRN_DATA_DIR"] = tempfile.mkdtemp(prefix="cairn-test-")

PASSWORD = "correct horse battery staple"


class QuickArgon2Hasher(Argon2PasswordHasher):
    """Argon2 with tiny costs: the same code path as production, a thousandth of the work."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["cairn.testing.QuickArgon2Hasher"]


def make_user(email: str, **fields: Any):
    from cairn.accounts.models import User

    return User.objects.create_user(email, PASSWORD, **fields)


@pytest.fixture
def owner(db):
    return make_user("owner@example.com", display_name="Olive Owner", time_zone="Europe/Paris")


@pytest.fixture
def collaborator(db):
    return make_user("coach@example.com", display_name="Cora Coach")


@pytest.fixture
def stranger(db):
    return make_user("stranger@example.com", display_name="Sam Stranger")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    return client_for(owner)


@pytest.fixture
def stranger_client(stranger) -> Client:
    return client_for(stranger)


def api_client_for(user, *, read_only: bool = False) -> Client:
    """A client that sends a fresh API token of `user` with every request."""
    from cairn.accounts.services import api_token_create

    _, secret = api_token_create(user=user, name="test", read_only=read_only)
    return Client(headers={"authorization": f"Bearer {secret}"})


METHODS = ("get", "post", "put", "patch", "delete")


def assert_stranger_gets_404(
    url: str, *, owner, stranger, obj=None, api: bool = False, body: dict | None = None
) -> None:
    """Every method on the owner's object answers 404 (or 405) to a stranger; nothing changes.

    At least one method must be a 404 (an ownership check, not just a method filter); `obj`
    must still exist afterwards; and the owner, on that same method, must not get a 404 —
    otherwise the check would prove nothing about ownership.
    """
    client = api_client_for(stranger) if api else client_for(stranger)
    refused = []
    # An API body that fails validation (422) is refused before any lookup: it reveals nothing.
    allowed = (404, 405, 422) if api else (404, 405)
    for method in METHODS:
        response = _send(client, method, url, body)
        assert response.status_code in allowed, (
            f"{method.upper()} {url} as a stranger answered {response.status_code}, not 404"
        )
        if response.status_code == 404:
            refused.append(method)
    assert refused, f"{url} answered 405 to every method: no ownership check was exercised"
    if obj is not None:
        obj.refresh_from_db()  # raises if a stranger's request deleted it
    owner_client = api_client_for(owner) if api else client_for(owner)
    response = _send(owner_client, refused[0], url, body)
    assert response.status_code != 404, (
        f"{refused[0].upper()} {url} is a 404 for its owner too: the check proves nothing"
    )


def _send(client: Client, method: str, url: str, body: dict | None = None):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=body or {}, content_type="application/json")


# Each app with object routes lists them in its tests/routes.py as
# ROUTES = {"app:entity-action": factory}, where factory(owner) returns (url kwargs, object)
# or (url kwargs, object, JSON body) when the route needs a valid body to reach its lookup.
# cairn/core/tests/test_isolation.py fails when a route with an id has no entry.
RouteFactory = Callable[[Any], tuple[dict[str, Any], Any]]
