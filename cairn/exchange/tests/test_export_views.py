"""The export downloads, the restore form and the export API: files named, only one's own rows."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cairn.exchange.tests.test_archive import archive_text
from cairn.exchange.tests.test_export import add_ana
from cairn.network.models import Circle, Interaction, Organisation, Person
from cairn.testing import api_client_for, client_for, make_user

pytestmark = pytest.mark.django_db

DOWNLOADS = {
    "exchange:export-archive": ("cairn-archive-", ".json", "application/json"),
    "exchange:export-vcard": ("cairn-people-", ".vcf", "text/vcard"),
    "exchange:export-people-csv": ("cairn-people-", ".csv", "text/csv"),
    "exchange:export-organisations-csv": ("cairn-organisations-", ".csv", "text/csv"),
    "exchange:export-interactions-csv": ("cairn-interactions-", ".csv", "text/csv"),
    "exchange:export-calendar": ("cairn-calendar-", ".ics", "text/calendar"),
}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def stranger_data(stranger) -> None:
    """Rows of another account with a word that must never show up in the owner's files."""
    secret = Person.objects.create(owner=stranger, full_name="Xanthippe Stranger", sort_name="x")
    org = Organisation.objects.create(owner=stranger, name="Xanthippe Ltd")
    talk = Interaction.objects.create(
        owner=stranger,
        occurred_on="2026-01-02",
        summary="Xanthippe talk",
        organisation=org,
        follow_up_on=timezone.localdate(),
    )
    talk.people.add(secret)
    secret.circles.add(Circle.objects.create(owner=stranger, name="Xanthippe circle"))


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_each_download_is_a_named_file_of_ones_own_rows(owner, stranger, name):
    talk = Interaction.objects.create(
        owner=owner, occurred_on="2026-01-02", summary="Acme", follow_up_on=timezone.localdate()
    )
    talk.people.add(add_ana(owner))
    stranger_data(stranger)
    response = client_for(owner).get(reverse(name))
    assert response.status_code == 200
    start, end, content_type = DOWNLOADS[name]
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{start}') and disposition.endswith(
        f'{end}"'
    )
    assert response["Content-Type"].startswith(content_type)
    text = body(response)
    assert "Xanthippe" not in text
    assert "Ana" in text or "Acme" in text


@pytest.mark.parametrize("name", [*DOWNLOADS, "exchange:export"])
def test_downloads_need_a_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_vcard_form_filters_and_chooses_the_version(owner):
    add_ana(owner)
    Person.objects.create(owner=owner, full_name="Bo Lindqvist", sort_name="lindqvist")
    client = client_for(owner)
    url = reverse("exchange:export-vcard")
    text = body(client.get(url, {"version": "4.0", "circle": "Mentors"}))
    assert text.count("BEGIN:VCARD") == 1 and "VERSION:4.0" in text
    assert body(client.get(url, {"q": "lindqvist"})).count("BEGIN:VCARD") == 1
    csv_text = body(client.get(reverse("exchange:export-people-csv"), {"circle": "Mentors"}))
    assert "Ana" in csv_text and "Lindqvist" not in csv_text


@pytest.mark.parametrize("params", [{"circle": "Knitting"}, {"version": "2.1"}])
def test_a_bad_choice_is_explained_on_the_page(owner, params):
    response = client_for(owner).get(reverse("exchange:export-vcard"), params)
    assert response.status_code == 400
    assert "Knitting" in body(response) or "3.0 or 4.0" in body(response)


def test_a_stranger_s_circle_exports_nothing(owner, stranger):
    stranger_data(stranger)
    response = client_for(owner).get(
        reverse("exchange:export-vcard"), {"circle": "Xanthippe circle"}
    )
    assert response.status_code == 400
    assert "BEGIN:VCARD" not in body(response)


def test_the_export_page_lists_the_downloads(owner):
    Circle.objects.create(owner=owner, name="Mentors")
    text = body(client_for(owner).get(reverse("exchange:export")))
    for name in DOWNLOADS:
        assert reverse(name) in text
    assert '<option value="Mentors"' in text


def test_settings_offer_the_archive_and_its_restore(owner):
    text = body(client_for(owner).get(reverse("accounts:settings")))
    assert reverse("exchange:export-archive") in text
    assert reverse("exchange:archive-restore") in text


# ---------------------------------------------------------------- restoring


def upload(text: str, name: str = "cairn-archive.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="application/json")


def test_an_archive_restores_from_the_settings_page(owner):
    add_ana(owner)
    fresh = make_user("fresh@example.com")
    client = client_for(fresh)
    response = client.post(
        reverse("exchange:archive-restore"), {"archive": upload(archive_text(owner))}
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("accounts:settings")
    assert Person.objects.get(owner=fresh).full_name == "Ana María Ruiz"
    page = body(client.get(response["Location"]))
    assert "Restored" in page and "cairn-archive.json" in page


def test_a_refused_archive_says_why(owner):
    add_ana(owner)
    response = client_for(owner).post(
        reverse("exchange:archive-restore"), {"archive": upload(archive_text(owner))}
    )
    assert response.status_code == 400
    assert "empty account" in body(response)
    assert Person.objects.filter(owner=owner).count() == 1
    missing = client_for(owner).post(reverse("exchange:archive-restore"), {})
    assert missing.status_code == 400 and "Choose the archive file" in body(missing)


def test_an_archive_over_the_upload_limit_is_refused_with_the_way_round_it(owner, settings):
    add_ana(owner)
    settings.IMPORT_MAX_BYTES = 100
    fresh = make_user("fresh@example.com")
    response = client_for(fresh).post(
        reverse("exchange:archive-restore"), {"archive": upload(archive_text(owner))}
    )
    assert response.status_code == 400
    assert "cairn import PATH --format archive" in body(response)
    assert not Person.objects.filter(owner=fresh).exists()


def test_with_htmx_the_form_answers_in_place(owner):
    add_ana(owner)
    fresh = make_user("fresh@example.com")
    client = client_for(fresh)
    url = reverse("exchange:archive-restore")
    headers = {"HX-Request": "true"}
    bad = client.post(url, {"archive": upload("[1, 2]", "x.json")}, headers=headers)
    assert bad.status_code == 200  # htmx swaps only 2xx: the refusal is in the form
    assert 'id="archive-restore"' in body(bad) and "not a Cairn archive" in body(bad)
    assert "<html" not in body(bad)
    good = client.post(url, {"archive": upload(archive_text(owner))}, headers=headers)
    assert good.status_code == 200 and "Restored" in body(good)


def test_restore_is_a_post(owner):
    assert client_for(owner).get(reverse("exchange:archive-restore")).status_code == 405


def test_the_old_account_export_link_still_downloads(owner):
    response = client_for(owner).get(reverse("accounts:export"), follow=True)
    assert json.loads(body(response))["format"] == "cairn-archive"


# ---------------------------------------------------------------- API


def test_the_api_streams_the_archive_and_vcards_of_ones_own(owner, stranger):
    add_ana(owner)
    stranger_data(stranger)
    api = api_client_for(owner, read_only=True)
    response = api.get("/api/v1/export/archive")
    assert response.status_code == 200
    text = body(response)
    assert json.loads(text)["account"]["email"] == owner.email
    assert "Xanthippe" not in text
    cards = api.get("/api/v1/export/people.vcf", {"version": "4.0", "circle": "Mentors"})
    assert cards.status_code == 200
    assert "VERSION:4.0" in body(cards) and "Xanthippe" not in body(cards)
    theirs = api.get("/api/v1/export/people.vcf", {"circle": "Xanthippe circle"})
    assert theirs.status_code == 400
    assert theirs.json()["field"] == "circle"


def test_the_api_needs_a_token(client):
    assert client.get("/api/v1/export/archive").status_code == 401
    response = api_client_for(make_user("a@example.com")).get(
        "/api/v1/export/people.vcf", {"version": "2.1"}
    )
    assert response.status_code == 422
