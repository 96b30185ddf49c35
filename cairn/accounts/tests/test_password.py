import re

import pytest
from django.core import mail
from django.urls import reverse

from cairn.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_changes_the_password(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another fine passphrase",
            "new_password2": "another fine passphrase",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("another fine passphrase")
    # The session survives the change.
    assert owner_client.get(reverse("accounts:settings")).status_code == 200


def test_it_refuses_a_change_with_the_wrong_old_password(owner_client, owner):
    owner_client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "nope",
            "new_password1": "another fine passphrase",
            "new_password2": "another fine passphrase",
        },
    )
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_resets_the_password_by_email(client, owner, settings):
    settings.SITE_URL = "https://cairn.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # even a permissive host setting must not steer the link
    response = client.post(
        reverse("accounts:password-reset"), {"email": "OWNER@example.com"}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    body = message.body
    # The link points at the configured site, never at the Host header of the request.
    link = re.search(r"https://cairn\.example\.org(/\S+)", body).group(1)
    assert "evil.example" not in body
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a brand new passphrase")
    # A used link is dead.
    assert "expired" in client.get(link, follow=True).content.decode()


def test_reset_does_not_reveal_whether_an_account_exists(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-sent")
    assert mail.outbox == []
