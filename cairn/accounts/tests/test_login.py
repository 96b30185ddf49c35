from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import LoginFailure
from cairn.accounts.services import login_wait_seconds
from cairn.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_it_logs_in_with_the_email_in_any_case(client, owner):
    response = login(client, "Owner@Example.COM", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("daily:today")


def test_it_refuses_a_wrong_password_and_records_it(client, owner):
    response = login(client, owner.email, "wrong password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert LoginFailure.objects.filter(email=owner.email).count() == 1


def test_it_locks_an_address_after_repeated_failures(client, owner, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, owner.email, "wrong password")
    # Even the right password is not checked while locked.
    response = login(client, owner.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_when_the_window_has_passed(client, owner, settings):
    long_ago = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1)
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        LoginFailure.objects.create(email=owner.email, ip="10.0.0.1", at=long_ago)
    assert login(client, owner.email, PASSWORD).status_code == 302


def test_the_wait_is_counted_from_the_oldest_failure_that_counts(owner, settings):
    now = timezone.now()
    for minutes in range(settings.LOGIN_FAILURE_LIMIT):
        LoginFailure.objects.create(email=owner.email, at=now - timedelta(minutes=minutes))
    oldest = settings.LOGIN_FAILURE_LIMIT - 1
    expected = settings.LOGIN_FAILURE_WINDOW_SECONDS - oldest * 60
    assert login_wait_seconds(email=owner.email, ip=None, now=now) == expected


def test_one_network_address_guessing_many_accounts_is_locked(client, owner, settings):
    for number in range(settings.LOGIN_FAILURE_LIMIT * 10):
        LoginFailure.objects.create(
            email=f"guess{number}@example.com", ip="203.0.113.9", at=timezone.now()
        )
    assert "Too many" in login(client, owner.email, PASSWORD, ip="203.0.113.9").content.decode()
    # Someone elsewhere is not affected.
    assert login(client, owner.email, PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_successful_login_clears_the_failures(client, owner):
    login(client, owner.email, "wrong password")
    assert login(client, owner.email, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(email=owner.email).exists()


def test_an_inactive_account_cannot_log_in(client, owner):
    owner.is_active = False
    owner.save()
    assert login(client, owner.email, PASSWORD).status_code == 200


def test_logout_needs_a_post(owner_client):
    assert owner_client.get(reverse("accounts:logout")).status_code == 405
    response = owner_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert owner_client.get(reverse("daily:today")).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_throttled_not_the_proxy(client, owner, settings):
    settings.BEHIND_PROXY = True
    for number in range(settings.LOGIN_FAILURE_LIMIT * 10):
        LoginFailure.objects.create(
            email=f"guess{number}@example.com", ip="203.0.113.9", at=timezone.now()
        )
    proxy = "127.0.0.1"
    blocked = client.post(
        reverse("accounts:login"),
        {"username": owner.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert "Too many" in blocked.content.decode()
    # A spoofed first entry does not help; another real client is not affected.
    allowed = client.post(
        reverse("accounts:login"),
        {"username": owner.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )
    assert allowed.status_code == 302
