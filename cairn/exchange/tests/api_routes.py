"""Isolation cases for the imports API (collected by the stranger sweep)."""

from pathlib import Path
from tempfile import mkdtemp

from cairn.exchange import imports
from cairn.exchange.tests.importing import FakeReader, person, upload


def _committed(owner):
    outcome = imports.import_run(
        user=owner, path=upload(Path(mkdtemp())), reader=FakeReader([person(4, "Bea Lopez")])
    )
    return {"import_id": outcome.batch.pk}, outcome.batch


ROUTES = {"api:imports_detail": _committed, "api:imports_undo": _committed}
