"""`cairn export FORMAT`: to a file (written whole or not at all) or to standard output."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cairn.exchange import archive
from cairn.exchange.tests.test_export import add_ana
from cairn.network.models import Person
from cairn.testing import make_user

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_archive_goes_to_a_file_and_restores(owner, tmp_path):
    add_ana(owner)
    path = tmp_path / "mine.json"
    said, _ = run("archive", "-o", str(path), "--user", owner.email)
    assert f"Wrote {path}" in said
    assert json.loads(path.read_text())["account"]["email"] == owner.email
    assert [p.name for p in tmp_path.iterdir()] == ["mine.json"]  # no temporary file left
    fresh = make_user("fresh@example.com")
    archive.restore_archive(fresh, path)
    assert Person.objects.get(owner=fresh).full_name == "Ana María Ruiz"


def test_a_folder_gets_a_dated_file(owner, tmp_path):
    add_ana(owner)
    run("vcard", "-o", str(tmp_path), "--version", "4.0", "--circle", "Mentors")
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("cairn-people-") and written.suffix == ".vcf"
    assert "VERSION:4.0" in written.read_text()


@pytest.mark.parametrize(
    ("format", "expected"),
    [
        ("vcard", "BEGIN:VCARD"),
        ("people-csv", "\ufeffName,"),
        ("organisations-csv", "Acme; Bridges"),
        ("interactions-csv", "\ufeffDate,"),
        ("ics", "BEGIN:VCALENDAR"),
        ("archive", '{"format":"cairn-archive"'),
    ],
)
def test_without_a_path_it_writes_to_standard_output(owner, format, expected):
    add_ana(owner)
    out, _ = run(format)
    assert expected in out


def test_mistakes_are_explained(owner, tmp_path):
    with pytest.raises(CommandError, match="no circle called"):
        run("vcard", "--circle", "Knitting")
    with pytest.raises(CommandError, match="choose people"):
        run("organisations-csv", "--circle", "Knitting")
    with pytest.raises(CommandError, match="no such folder"):
        run("vcard", "-o", str(tmp_path / "missing" / "x.vcf"))
    make_user("second@example.com")
    with pytest.raises(CommandError, match="--user"):
        run("vcard")
