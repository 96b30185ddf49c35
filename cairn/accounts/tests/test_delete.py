import json

import pytest
from django.urls import reverse

from cairn.accounts.models import ApiToken, User
from cairn.accounts.services import account_delete, account_export, api_token_create
from cairn.core.errors import DomainError
from cairn.core.models import owned_models
from cairn.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_owned_row_and_no_secret(owner_client, owner, stranger):
    token, _ = api_token_create(user=owner, name="mine")
    api_token_create(user=stranger, name="theirs")
    response = owner_client.get(reverse("accounts:export"), follow=True)
    assert response.redirect_chain[0][0] == reverse("exchange:export-archive")
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode()
    data = json.loads(text)
    assert data["format"] == "cairn-archive"
    assert data["account"]["email"] == owner.email
    # Every owned model but the credentials, whose secrets never leave.
    assert set(data["models"]) == {model._meta.label_lower for model in owned_models()} - {
        "accounts.apitoken"
    }
    assert token.digest not in text and "theirs" not in text
    assert "".join(account_export(user=owner)).startswith('{"format":"cairn-archive"')


def test_deleting_the_account_removes_every_owned_row(owner_client, owner, stranger):
    api_token_create(user=owner, name="mine")
    api_token_create(user=stranger, name="theirs")
    response = owner_client.post(
        reverse("accounts:delete"), {"password": PASSWORD, "confirm": "DELETE"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=owner.pk).exists()
    for model in owned_models():
        assert not model.objects.filter(owner_id=owner.pk).exists(), model
    # Other accounts keep theirs.
    assert ApiToken.objects.filter(owner=stranger).count() == 1
    assert owner_client.get(reverse("daily:today")).status_code == 302


@pytest.mark.parametrize(
    ("password", "confirm"), [("wrong password", "DELETE"), (PASSWORD, "delete")]
)
def test_it_needs_the_password_and_the_confirmation(owner_client, owner, password, confirm):
    response = owner_client.post(
        reverse("accounts:delete"), {"password": password, "confirm": confirm}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_service_checks_the_password(owner):
    with pytest.raises(DomainError):
        account_delete(user=owner, password="nope")
    account_delete(user=owner, password=PASSWORD)
    assert not User.objects.exists()
