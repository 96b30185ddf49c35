from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cairn.exchange import imports
from cairn.exchange.models import ImportBatch, ImportRow
from cairn.exchange.tests.importing import FakeReader, person
from cairn.network import services
from cairn.network.models import Person

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reader(owner):
    services.person_create(user=owner, full_name="Jonathan Smith")
    fake = FakeReader(
        [person(4, "Bea Lopez", org="Globex", title="CTO"), person(5, "Jonathan Smyth"),
         person(6, "")]
    )  # fmt: skip
    with mock.patch.object(imports, "_read", fake):
        yield fake


def send(client, name="Connections.csv", content=b"First Name,Last Name\n", **extra):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse("exchange:import-upload"), {"file": file, "format": "auto"}, **extra)


def test_the_landing_page_offers_upload_and_lists_imports(owner_client):
    html = owner_client.get(reverse("exchange:home")).content.decode()
    assert 'type="file"' in html and "data-drop-zone" in html
    assert "Nothing imported yet." in html


def test_the_landing_page_offers_ones_own_circles_to_export(owner, owner_client, stranger):
    services.circles_get_or_create(user=owner, names=["Mentors"])
    services.circles_get_or_create(user=stranger, names=["Stranger things"])
    html = owner_client.get(reverse("exchange:home")).content.decode()
    assert '<option value="Mentors"' in html
    assert "Stranger things" not in html


def test_upload_previews_without_writing_then_imports_with_the_choices(owner, owner_client, reader):
    response = send(owner_client)
    assert response.status_code == 303
    batch = ImportBatch.objects.get(owner=owner)
    assert response["Location"] == reverse("exchange:import-detail", args=[batch.pk])
    assert Person.objects.filter(owner=owner).count() == 1

    html = owner_client.get(response["Location"]).content.decode()
    assert "Check before importing" in html and "Bea Lopez" in html
    assert "CTO at Globex" in html
    html = owner_client.get(response["Location"] + "?show=proposed").content.decode()
    assert "Jonathan Smyth" in html and "The same person: merge" in html
    html = owner_client.get(response["Location"] + "?show=invalid").content.decode()
    assert "Cannot be imported. No name." in html

    rows = {row.name: row for row in batch.rows.all()}
    proposed = rows["Jonathan Smyth"]
    response = owner_client.post(
        reverse("exchange:import-decide", args=[batch.pk]),
        {"row": [proposed.pk], "include": [proposed.pk], f"choice-{proposed.pk}": "merge",
         "action": "commit"},
    )  # fmt: skip
    assert response.status_code == 303
    assert set(Person.objects.filter(owner=owner).values_list("full_name", flat=True)) == {
        "Jonathan Smith", "Bea Lopez",
    }  # fmt: skip
    html = owner_client.get(response["Location"]).content.decode()
    assert "Imported: 1 new, 1 merged, 0 skipped, 1 could not be imported." in html
    assert "Undo this import" in html


def test_choices_saved_with_htmx_answer_no_content(owner, owner_client, reader):
    send(owner_client)
    batch = ImportBatch.objects.get(owner=owner)
    row = batch.rows.get(name="Bea Lopez")
    response = owner_client.post(
        reverse("exchange:import-decide", args=[batch.pk]), {"row": [row.pk]}, **HTMX
    )
    assert response.status_code == 204
    row.refresh_from_db()
    assert row.decision == ImportRow.Decision.SKIP


def test_choose_all_in_a_tab(owner, owner_client, reader):
    send(owner_client)
    batch = ImportBatch.objects.get(owner=owner)
    response = owner_client.post(
        reverse("exchange:import-decide-all", args=[batch.pk]),
        {"show": "proposed", "decision": "merge"},
    )
    assert response.status_code == 303
    assert batch.rows.get(name="Jonathan Smyth").decision == "merge"


def test_undo_from_the_batch_page_and_twice_is_a_clear_error(owner, owner_client, reader):
    send(owner_client)
    batch = ImportBatch.objects.get(owner=owner)
    owner_client.post(reverse("exchange:import-commit", args=[batch.pk]))
    assert Person.objects.filter(full_name="Bea Lopez").exists()
    url = reverse("exchange:import-undo", args=[batch.pk])
    response = owner_client.post(url)
    assert response.status_code == 303
    assert not Person.objects.filter(full_name="Bea Lopez").exists()
    owner_client.post(url)
    html = owner_client.get(reverse("exchange:import-detail", args=[batch.pk])).content.decode()
    assert "This import was already undone on" in html


def test_discarding_a_preview(owner, owner_client, reader):
    send(owner_client)
    batch = ImportBatch.objects.get(owner=owner)
    response = owner_client.post(reverse("exchange:import-discard", args=[batch.pk]), **HTMX)
    assert response["HX-Redirect"] == reverse("exchange:home")
    assert not ImportBatch.objects.exists()


def test_a_file_too_large_is_refused_with_its_size(owner_client, settings):
    settings.IMPORT_MAX_BYTES = 1024
    response = send(owner_client, content=b"x" * 3000)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Connections.csv is 3 KB; the most Cairn takes at once is 1 KB." in html


def test_an_unreadable_file_is_a_clear_message_and_writes_nothing(owner, owner_client):
    with mock.patch.object(imports, "_read", FakeReader(fail="this is not a contacts file")):
        response = send(owner_client, name="photo.csv")
    assert response.status_code == 400
    assert "photo.csv: this is not a contacts file. Nothing was imported." in (
        response.content.decode()
    )
    assert not ImportBatch.objects.exists()


def test_a_stranger_sees_none_of_the_imports(owner, owner_client, stranger_client, reader):
    send(owner_client)
    batch = ImportBatch.objects.get()
    html = stranger_client.get(reverse("exchange:home")).content.decode()
    assert "Nothing imported yet." in html
    assert reverse("exchange:import-detail", args=[batch.pk]) not in html


def test_pages_need_a_login(client):
    response = client.get(reverse("exchange:home"))
    assert response.status_code == 302


def test_the_page_of_an_import_names_who_it_brought_in(owner, owner_client, reader):
    send(owner_client)
    batch = ImportBatch.objects.get(owner=owner)
    owner_client.post(
        reverse("exchange:import-decide-all", args=[batch.pk]),
        {"show": "proposed", "decision": "merge"},
    )
    owner_client.post(reverse("exchange:import-commit", args=[batch.pk]))
    html = owner_client.get(reverse("exchange:import-detail", args=[batch.pk])).content.decode()
    assert "Who it brought in" in html
    bea = Person.objects.get(full_name="Bea Lopez")
    assert f'href="{reverse("network:person-detail", args=[bea.pk])}">Bea Lopez</a>' in html


def test_own_roles_from_linkedin_are_listed_on_the_exchange_page(owner, owner_client):
    from datetime import date

    from cairn.exchange.records import OwnPosition

    fake = FakeReader(
        [],
        positions=[
            OwnPosition("Positions.csv", 2, "Initech", "Engineer", "", "", date(2021, 3, 1))
        ],
    )
    with mock.patch.object(imports, "_read", fake):
        send(owner_client)
        batch = ImportBatch.objects.get(owner=owner)
        owner_client.post(reverse("exchange:import-commit", args=[batch.pk]))
    html = owner_client.get(reverse("exchange:home")).content.decode()
    assert "Your own roles" in html and "<strong>Engineer</strong> at Initech" in html
    assert "Mar 2021 – now" in html
