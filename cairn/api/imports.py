"""Imports: upload a contacts file (or try it with dry_run), list imports, undo one."""

import shutil
import uuid
from datetime import datetime
from pathlib import Path

from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.exchange import imports
from cairn.exchange.forms import max_upload_bytes, megabytes
from cairn.exchange.models import ImportBatch
from cairn.exchange.records import FORMATS, ImportFileError

router = Router(tags=["imports"])


class ImportOut(Schema):
    id: int
    file: str
    format: str
    state: str
    via: str
    created: int
    merged: int
    skipped: int
    invalid: int
    interactions: int
    problems: list[str]
    created_at: datetime
    committed_at: datetime | None
    undone_at: datetime | None


class OutcomeOut(Schema):
    dry_run: bool
    batch: int | None
    created: int
    merged: int
    skipped: int
    invalid: int
    interactions: int
    positions: int
    rows: dict[str, int]
    problems: list[str]


class UndoOut(Schema):
    id: int
    deleted: int
    restored: int
    kept: list[str]


def import_out(batch: ImportBatch) -> dict:
    return {
        "id": batch.pk, "file": batch.source_name, "format": batch.format,
        "state": batch.state, "via": batch.via, "created": batch.created,
        "merged": batch.merged, "skipped": batch.skipped, "invalid": batch.invalid,
        "interactions": batch.interactions,
        "problems": [p.get("text", "") for p in batch.problems],
        "created_at": batch.created_at, "committed_at": batch.committed_at,
        "undone_at": batch.undone_at,
    }  # fmt: skip


@router.get("/imports", response=list[ImportOut], summary="Your imports, newest first")
def imports_list(request):
    return [import_out(b) for b in imports.batches_for(request.user)[:200]]


@router.post(
    "/imports",
    response={200: OutcomeOut, 201: OutcomeOut},
    summary="Import a contacts file",
    description=(
        "Upload a LinkedIn export (zip or Connections.csv), a Google or Outlook CSV or a vCard "
        "file as `file` (multipart). The same email, profile link or phone adds to the person "
        "you have; similar names are left out unless `merge_proposed`. With `dry_run` nothing "
        "is written and the answer says what would happen."
    ),
)
def imports_create(
    request,
    file: File[UploadedFile],
    format: Form[str] = "auto",
    dry_run: Form[bool] = False,
    merge_proposed: Form[bool] = False,
):
    if format not in ("auto", *FORMATS) or format == "archive":
        choices = "auto, linkedin, google, outlook, vcard"
        raise DomainError(f"format: {format!r} is not one of {choices}.", field="format")
    size = file.size or 0
    if size > max_upload_bytes():
        raise HttpError(413, f"{file.name} is {megabytes(size)}; the most is "
                        f"{megabytes(max_upload_bytes())}.")  # fmt: skip
    folder = imports.imports_dir() / f"incoming-{uuid.uuid4().hex}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (Path(file.name or "import").name or "import")
    try:
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        outcome = imports.import_run(
            user=request.user, path=path, format=format, dry_run=dry_run,
            merge_proposed=merge_proposed, via="api",
        )  # fmt: skip
    except ImportFileError as error:
        raise DomainError(imports.file_error_message(error), field="file") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Status(200 if dry_run else 201, {"dry_run": dry_run, **outcome.as_dict()})


@router.get("/imports/{import_id}", response=ImportOut)
def imports_detail(request, import_id: int):
    return import_out(get_owned_or_404(ImportBatch, request.user, pk=import_id))


@router.post("/imports/{import_id}/undo", response=UndoOut, summary="Undo an import")
def imports_undo(request, import_id: int):
    batch = get_owned_or_404(ImportBatch, request.user, pk=import_id)
    result = imports.import_undo(user=request.user, batch=batch)
    return {"id": batch.pk, "deleted": result.deleted, "restored": result.restored,
            "kept": result.kept}  # fmt: skip
