import pytest
from django.test import override_settings
from django.urls import reverse

from cairn.accounts.models import User

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "Ana.Ruiz@Example.com",
    "display_name": "Ana",
    "password": "a long enough passphrase",
    "time_zone": "America/Lima",
}


def test_it_creates_the_account_and_logs_in(client):
    response = client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 302
    assert response["Location"] == reverse("daily:today")
    user = User.objects.get()
    assert user.email == "ana.ruiz@example.com"
    assert user.time_zone == "America/Lima"
    assert user.daily_action_count == 3
    assert user.mode == "maintain"
    assert user.password.startswith("argon2")
    assert client.get(reverse("daily:today")).status_code == 200


def test_it_refuses_an_address_already_used_in_another_case(client, owner):
    response = client.post(reverse("accounts:signup"), {**GOOD, "email": "OWNER@example.com"})
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_it_refuses_a_weak_password(client):
    response = client.post(reverse("accounts:signup"), {**GOOD, "password": "password"})
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "too short" in response.content.decode() or "too common" in response.content.decode()


def test_it_refuses_an_unknown_time_zone(client):
    response = client.post(reverse("accounts:signup"), {**GOOD, "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert not User.objects.exists()


@override_settings(SIGNUP="closed")
def test_the_operator_can_close_it(client):
    assert client.get(reverse("accounts:signup")).status_code == 403
    response = client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 403
    assert not User.objects.exists()
    assert "Create an account" not in client.get(reverse("accounts:login")).content.decode()


def test_pages_need_a_login(client):
    for name in ("daily:today", "accounts:settings", "accounts:export", "core:search"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login"))


def test_production_hashes_passwords_with_argon2():
    import cairn.settings

    assert cairn.settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
