import json
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from cairn.exchange import imports
from cairn.exchange.models import ImportBatch
from cairn.exchange.tests.importing import FakeReader, person, upload
from cairn.network.models import Person


@pytest.fixture
def reader():
    fake = FakeReader([person(4, "Bea Lopez", url="https://linkedin.com/in/bea"), person(5, "")])
    with mock.patch.object(imports, "_read", fake):
        yield fake


def cli(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_dry_run_prints_counts_and_writes_nothing(owner, reader, tmp_path):
    out = cli("import", str(upload(tmp_path)), "--dry-run")
    assert "Would import: 1 new, 0 merged, 0 skipped, 1 invalid" in out
    assert "Dry run: nothing was written." in out
    assert not Person.objects.exists() and not ImportBatch.objects.exists()


def test_import_then_list_then_undo(owner, reader, tmp_path):
    out = cli("import", str(upload(tmp_path)))
    batch = ImportBatch.objects.get()
    assert f"cairn import --undo {batch.pk}" in out
    assert "Connections.csv, row 5, name: No name." in out
    assert Person.objects.filter(owner=owner).count() == 1
    assert "1 new, 0 merged" in cli("imports")
    listed = json.loads(cli("imports", "--json"))
    assert listed[0]["id"] == batch.pk and listed[0]["state"] == "committed"
    assert "1 people removed" in cli("import", "--undo", str(batch.pk))
    assert not Person.objects.exists()
    with pytest.raises(CommandError, match="already undone"):
        cli("import", "--undo", str(batch.pk))


def test_json_output(owner, reader, tmp_path):
    data = json.loads(cli("import", str(upload(tmp_path)), "--json"))
    assert (data["created"], data["invalid"], data["dry_run"]) == (1, 1, False)


def test_errors_are_one_clear_line(owner, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        cli("import", str(tmp_path / "missing.csv"))
    with (
        mock.patch.object(imports, "_read", FakeReader(fail="no header row found")),
        pytest.raises(CommandError, match=r"c\.csv: no header row found\. Nothing was imported\."),
    ):
        cli("import", str(upload(tmp_path, "c.csv")))
    with pytest.raises(CommandError, match="No import 999"):
        cli("import", "--undo", "999")


def test_a_stranger_cannot_undo_by_number(owner, stranger, reader, tmp_path):
    cli("import", str(upload(tmp_path)), "--user", owner.email)
    batch = ImportBatch.objects.get()
    with pytest.raises(CommandError, match=f"No import {batch.pk}"):
        cli("import", "--undo", str(batch.pk), "--user", stranger.email)


def test_an_archive_is_handed_to_the_restore(owner, tmp_path):
    path = tmp_path / "cairn-archive.json"
    path.write_text("this is not an archive")
    with pytest.raises(CommandError) as error:
        cli("import", str(path), "--format", "archive")
    assert "archive" in str(error.value).lower()
    assert not Person.objects.exists()


def test_an_archive_is_recognised_and_a_dry_run_restores_nothing(owner, tmp_path):
    from cairn.exchange import archive
    from cairn.network import services
    from cairn.testing import make_user

    services.person_create(user=owner, full_name="Ana Ruiz")
    path = tmp_path / "everything.json"  # the name says nothing: the content does
    path.write_text("".join(archive.write_archive(owner)), encoding="utf-8")
    fresh = make_user("fresh@example.com")
    out = cli("import", str(path), "--dry-run", "--user", fresh.email)
    assert "Would restore 1 person" in out and "nothing was written" in out
    assert not Person.objects.filter(owner=fresh).exists()
    out = cli("import", str(path), "--user", fresh.email)
    assert out.startswith("Restored 1 person")
    assert Person.objects.get(owner=fresh).full_name == "Ana Ruiz"
