"""Isolation cases for the import pages (collected through routes.py)."""

from pathlib import Path
from tempfile import mkdtemp

from cairn.exchange import imports
from cairn.exchange.tests.importing import FakeReader, person, upload


def _preview(owner):
    batch = imports.import_preview(
        user=owner, upload=upload(Path(mkdtemp())), source_name="Connections.csv",
        reader=FakeReader([person(4, "Bea Lopez")]),
    )  # fmt: skip
    return {"pk": batch.pk}, batch


def _committed(owner):
    outcome = imports.import_run(
        user=owner, path=upload(Path(mkdtemp())), reader=FakeReader([person(4, "Bea Lopez")])
    )
    return {"pk": outcome.batch.pk}, outcome.batch


ROUTES = {
    "exchange:import-detail": _preview,
    "exchange:import-decide": _preview,
    "exchange:import-decide-all": _preview,
    "exchange:import-commit": _preview,
    "exchange:import-discard": _preview,
    "exchange:import-undo": _committed,
}
