import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

VALID = {
    "display_name": "Olive O.",
    "email": "olive@example.com",
    "time_zone": "Pacific/Auckland",
    "daily_action_count": "5",
    "mode": "transition",
}


def test_it_shows_the_settings(owner_client, owner):
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert owner.email in page
    assert "Europe/Paris" in page
    assert "API tokens" in page


def test_it_saves_the_settings(owner_client, owner):
    response = owner_client.post(reverse("accounts:settings"), VALID)
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.display_name, owner.email, owner.time_zone) == (
        "Olive O.",
        "olive@example.com",
        "Pacific/Auckland",
    )
    assert (owner.daily_action_count, owner.mode) == (5, "transition")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("daily_action_count", "0"),
        ("daily_action_count", "11"),
        ("time_zone", "Nowhere/Land"),
        ("mode", "panic"),
        ("email", "not-an-email"),
    ],
)
def test_it_refuses_bad_values_and_names_the_field(owner_client, owner, field, value):
    response = owner_client.post(reverse("accounts:settings"), {**VALID, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    owner.refresh_from_db()
    assert owner.display_name == "Olive Owner"


def test_it_refuses_another_accounts_address(owner_client, owner, stranger):
    response = owner_client.post(
        reverse("accounts:settings"), {**VALID, "email": "STRANGER@example.com"}
    )
    assert response.context["form"].errors["email"]


def test_dates_are_shown_in_the_users_time_zone(owner_client, owner):
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: usually a different calendar day from UTC
    owner.save()
    response = owner_client.get(reverse("daily:today"))
    from datetime import datetime
    from zoneinfo import ZoneInfo

    expected = datetime.now(ZoneInfo("Pacific/Kiritimati"))
    assert response.context["now"].date() == expected.date()
