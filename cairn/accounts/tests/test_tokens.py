import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.accounts.models import ApiToken, hash_token
from cairn.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from cairn.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_stored_hashed(owner_client, owner):
    response = owner_client.post(
        reverse("accounts:token-create"), {"name": "backup script", "read_only": "on"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get(owner=owner)
    assert token.read_only
    assert token.digest == hash_token(secret)
    assert secret not in (token.digest, token.prefix)
    assert secret.startswith(token.prefix)
    # The settings page never shows it again.
    assert secret not in owner_client.get(reverse("accounts:settings")).content.decode()


def test_a_token_needs_a_name(owner_client, owner):
    response = owner_client.post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    with pytest.raises(DomainError):
        api_token_create(user=owner, name="   ")


def test_revoking_with_a_plain_post_redirects(owner_client, owner):
    token, secret = api_token_create(user=owner, name="laptop")
    response = owner_client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 303
    assert not ApiToken.objects.exists()
    assert api_token_authenticate(secret=secret, now=timezone.now()) is None


def test_revoking_with_htmx_returns_the_list(owner_client, owner):
    api_token_create(user=owner, name="keep me")
    gone, _ = api_token_create(user=owner, name="revoke me")
    response = owner_client.post(
        reverse("accounts:token-revoke", args=[gone.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="token-list"' in html
    assert "keep me" in html
    assert "revoke me" not in html
    assert "<html" not in html


def test_a_stranger_cannot_revoke(owner, stranger):
    token, _ = api_token_create(user=owner, name="laptop")
    with pytest.raises(DomainError):
        api_token_revoke(user=stranger, token_id=token.pk)
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_authentication_marks_last_use(owner):
    token, secret = api_token_create(user=owner, name="laptop")
    found = api_token_authenticate(secret=secret, now=timezone.now())
    assert found == token
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api_token_authenticate(secret=secret + "x", now=timezone.now()) is None
    assert api_token_authenticate(secret="not-even-ours", now=timezone.now()) is None
