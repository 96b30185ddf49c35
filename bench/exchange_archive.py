"""Benchmark of the complete archive: export and restore of the heavy user.

The value is the seconds to write the heavy user's archive to a file and restore it into a new
account (every row, many-to-many rows, references, and the search index rebuilt for the
restored rows). The baseline is the bare minimum of the same work in Python: reading the same
rows with `values()` and `json.dumps` of them. The restore happens in a transaction rolled
back afterwards, so that the bench database stays as it was.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from bench.runner import Context, Measurement, benchmark

RESTORED_USER = "bench-restored@example.com"


def _plain_json(user) -> float:
    """Seconds to fetch every archived row of `user` as values() and json.dumps them."""
    from cairn.exchange import archive

    began = time.perf_counter()
    for shape in archive.shapes():
        rows = shape.model._base_manager.filter(owner=user).order_by("pk").values()
        json.dumps(list(rows.iterator(chunk_size=2000)), default=str)
    return time.perf_counter() - began


def _export_and_restore(user, path: Path) -> tuple[float, float, int]:
    """(seconds to write the archive, seconds to restore it, rows restored)."""
    from django.db import transaction

    from cairn.accounts.services import user_create
    from cairn.exchange import archive

    began = time.perf_counter()
    with path.open("w", encoding="utf-8") as file:
        for chunk in archive.write_archive(user):
            file.write(chunk)
    written = time.perf_counter() - began
    with transaction.atomic():
        copy = user_create(email=RESTORED_USER, password=None)
        began = time.perf_counter()
        result = archive.restore_archive(copy, path)
        restored = time.perf_counter() - began
        transaction.set_rollback(True)
    return written, restored, result.total


# The archive does far more than dump rows: it writes references and many-to-many rows
# row by row, then parses, validates and inserts every row and rebuilds the search index.
# On the heavy user (341k rows, a 126 MB archive) it measured 30 s to write and 62 s to
# restore (about a third of it rebuilding the search index) against 16 s for a bare dump: a ratio
# of about 6, on a busy two-core machine.
# The goal leaves room for machines and noise, and still catches a change that makes it
# several times slower.
@benchmark("exchange.archive_roundtrip", unit="s", goal="ratio <= 15")
def archive_roundtrip(context: Context) -> Measurement:
    """Seconds to export the heavy user's archive and restore it into an empty account ÷
    seconds to fetch the same rows as values() and json.dumps them."""
    from cairn.accounts.models import User

    user = User.objects.get(email=context.user_email)
    path = context.data_dir / "archive-roundtrip.json"
    try:
        baseline = _plain_json(user)
        written, restored, rows = _export_and_restore(user, path)
        size = path.stat().st_size
    finally:
        path.unlink(missing_ok=True)
    log = context.log_dir / "exchange.archive_roundtrip.txt"
    log.write_text(
        f"rows {rows:,}; archive {size / 1e6:.1f} MB; write {written:.1f} s; "
        f"restore {restored:.1f} s; values()+json.dumps {baseline:.1f} s\n"
    )
    return Measurement(value=written + restored, baseline=baseline)
