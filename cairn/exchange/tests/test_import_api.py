from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cairn.exchange import imports
from cairn.exchange.models import ImportBatch
from cairn.exchange.tests.importing import FakeReader, person
from cairn.network.models import Person
from cairn.testing import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    fake = FakeReader([person(4, "Bea Lopez", url="https://linkedin.com/in/bea"), person(5, "")])
    with mock.patch.object(imports, "_read", fake):
        yield fake


def post(client, **data):
    file = SimpleUploadedFile("Connections.csv", b"First Name\n", content_type="text/csv")
    return client.post("/api/v1/imports", {"file": file, **data})


def test_a_dry_run_says_what_would_happen_and_writes_nothing(owner, reader):
    response = post(api_client_for(owner), dry_run="true")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["dry_run"], data["created"], data["invalid"], data["batch"]) == (True, 1, 1, None)
    assert not Person.objects.exists() and not ImportBatch.objects.exists()


def test_import_list_and_undo(owner, reader):
    client = api_client_for(owner)
    response = post(client)
    assert response.status_code == 201
    batch_id = response.json()["batch"]
    assert Person.objects.filter(owner=owner).count() == 1
    (listed,) = client.get("/api/v1/imports").json()
    assert (listed["id"], listed["state"], listed["via"]) == (batch_id, "committed", "api")
    assert any("No name" in p for p in listed["problems"])
    undone = client.post(f"/api/v1/imports/{batch_id}/undo")
    assert undone.json()["deleted"] == 1
    again = client.post(f"/api/v1/imports/{batch_id}/undo")
    assert again.status_code == 409 and "already undone" in again.json()["error"]


def test_an_unreadable_file_is_a_400_naming_it(owner):
    with mock.patch.object(imports, "_read", FakeReader(fail="no header row")):
        response = post(api_client_for(owner))
    assert response.status_code == 400
    assert response.json()["error"] == "Connections.csv: no header row. Nothing was imported."


def test_a_read_only_token_cannot_import(owner, reader):
    response = post(api_client_for(owner, read_only=True))
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_a_stranger_lists_nothing(owner, stranger, reader):
    post(api_client_for(owner))
    assert api_client_for(stranger).get("/api/v1/imports").json() == []
