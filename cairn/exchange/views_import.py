"""The Exchange pages for importing: upload, preview and choose, import, undo."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.exchange import imports
from cairn.exchange.forms import UploadForm, max_upload_bytes, megabytes
from cairn.exchange.models import ImportBatch, ImportRow, OwnPosition
from cairn.exchange.records import ImportFileError
from cairn.exchange.views_export import export_context

PAGE_SIZE = 100
Status = ImportRow.Status
# The preview's tabs: which statuses each shows.
TABS = [
    ("new", "New", [Status.NEW]),
    ("merge", "Adds to someone you have", [Status.MERGE, Status.CONFLICT]),
    ("proposed", "May be someone you have", [Status.PROPOSED]),
    ("unchanged", "Already there", [Status.UNCHANGED, Status.DUPLICATE]),
    ("invalid", "Cannot be imported", [Status.INVALID]),
]
TAB_STATUSES = {slug: statuses for slug, _, statuses in TABS}


def _see_other(url: str) -> HttpResponse:
    response = redirect(url)
    response.status_code = 303
    return response


def _done(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return _see_other(url)


def _context(**values: Any) -> dict[str, Any]:
    return {"active": "exchange", **values}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Import (upload, past imports with undo) and export, side by side."""
    return _home(request, UploadForm())


def _home(request: HttpRequest, form: UploadForm, *, status: int = 200) -> HttpResponse:
    batches = list(imports.batches_for(request.user)[:50])
    positions = list(OwnPosition.objects.for_user(request.user)[:50])
    context = _context(
        form=form, batches=batches, positions=positions,
        max_upload=megabytes(max_upload_bytes()), **export_context(request.user),
    )  # fmt: skip
    return render(request, "exchange/home.html", context, status=status)


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Read the uploaded file and show what importing it would do; nothing is written yet."""
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _home(request, form, status=400)
    uploaded = form.cleaned_data["file"]
    folder = imports.imports_dir() / f"incoming-{uuid.uuid4().hex}"
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(uploaded.name).name or "import"
    path = folder / name
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    try:
        batch = imports.import_preview(
            user=request.user, upload=path, source_name=name,
            format=form.cleaned_data["format"], created_by=request.user,
        )  # fmt: skip
    except ImportFileError as error:
        form.add_error("file", imports.file_error_message(error))
        return _home(request, form, status=400)
    except DomainError as error:
        form.add_error("file", error.message)
        return _home(request, form, status=400)
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return _see_other(reverse("exchange:import-detail", args=[batch.pk]))


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    return get_owned_or_404(ImportBatch, request.user, pk=pk)


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A previewed import's rows, by tab and page; or what a committed import did."""
    batch = _batch(request, pk)
    context = _context(batch=batch)
    if batch.state != ImportBatch.State.PREVIEWED:
        if batch.state == ImportBatch.State.COMMITTED:
            context["people"] = imports.people_of(request.user, batch)
        return render(request, "exchange/batch.html", context)
    counts = dict(
        batch.rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    tabs = [
        {"slug": slug, "label": label, "count": sum(counts.get(s, 0) for s in statuses)}
        for slug, label, statuses in TABS
    ]
    show = request.GET.get("show") or next((t["slug"] for t in tabs if t["count"]), "new")
    if show not in TAB_STATUSES:
        show = "new"
    rows = batch.rows.filter(status__in=TAB_STATUSES[show]).select_related("person")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    chosen = batch.rows.exclude(decision=ImportRow.Decision.SKIP).exclude(status=Status.INVALID)
    context.update(
        tabs=tabs, show=show, page=page, chosen=chosen.count(),
        positions=batch.summary.get("positions", 0), counts=counts,
        notes=len(batch.problems) + len(batch.summary.get("skipped_files", [])),
    )  # fmt: skip
    template = "exchange/_rows.html" if getattr(request, "htmx", False) else "exchange/preview.html"
    return render(request, template, context)


def _detail_url(batch: ImportBatch, request: HttpRequest) -> str:
    url = reverse("exchange:import-detail", args=[batch.pk])
    query = request.POST.get("query", "")
    return f"{url}?{query}" if query and "\n" not in query else url


@login_required
@require_POST
def batch_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the choices for the rows shown (unticked rows are left out); with "Import now",
    import straight after."""
    batch = _batch(request, pk)
    decisions: dict[int, str] = {}
    included = set(request.POST.getlist("include"))
    for value in request.POST.getlist("row"):
        if not value.isdigit():
            continue
        if value not in included:
            decisions[int(value)] = ImportRow.Decision.SKIP
        else:
            choice = request.POST.get(f"choice-{value}", "")
            decisions[int(value)] = (
                choice if choice in ("merge", "separate") else ImportRow.Decision.IMPORT
            )
    positions = request.POST.get("positions") == "on" if "positions-shown" in request.POST else None
    try:
        imports.import_decide(
            user=request.user, batch=batch, decisions=decisions, positions=positions
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _done(request, reverse("exchange:import-detail", args=[batch.pk]))
    if request.POST.get("action") == "commit":
        return _commit(request, batch)
    if getattr(request, "htmx", False):
        return HttpResponse(status=204)
    messages.success(request, "Your choices are saved.")
    return _done(request, _detail_url(batch, request))


@login_required
@require_POST
def batch_decide_all(request: HttpRequest, pk: int) -> HttpResponse:
    """One choice for every row of a tab (e.g. merge every proposed match)."""
    batch = _batch(request, pk)
    tab = request.POST.get("show", "")
    decision = request.POST.get("decision", "")
    if tab not in TAB_STATUSES or decision not in ImportRow.Decision.values:
        messages.error(request, "Choose what to do with these rows.")
        return _done(request, reverse("exchange:import-detail", args=[batch.pk]))
    try:
        changed = sum(
            imports.import_decide_all(user=request.user, batch=batch, status=s, decision=decision)
            for s in TAB_STATUSES[tab]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{changed} {'row' if changed == 1 else 'rows'} changed.")
    url = reverse("exchange:import-detail", args=[batch.pk])
    return _done(request, f"{url}?show={tab}")


@login_required
@require_POST
def batch_commit(request: HttpRequest, pk: int) -> HttpResponse:
    return _commit(request, _batch(request, pk))


def _commit(request: HttpRequest, batch: ImportBatch) -> HttpResponse:
    try:
        outcome = imports.import_commit(user=request.user, batch=batch)
    except ImportFileError as error:
        messages.error(request, imports.file_error_message(error))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Imported: {outcome.created} new, {outcome.merged} merged, "
            f"{outcome.skipped} skipped, {outcome.invalid} could not be imported.",
        )
    return _done(request, reverse("exchange:import-detail", args=[batch.pk]))


@login_required
@require_POST
def batch_discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget a preview (nothing had been imported)."""
    batch = _batch(request, pk)
    try:
        imports.import_discard(user=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, error.message)
        return _done(request, reverse("exchange:import-detail", args=[batch.pk]))
    messages.success(request, f"{batch.source_name} was not imported.")
    return _done(request, reverse("exchange:home"))


@login_required
@require_POST
def batch_undo(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        result = imports.import_undo(user=request.user, batch=batch)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        text = (
            f"The import of {batch.source_name} is undone: {result.deleted} "
            f"{'person' if result.deleted == 1 else 'people'} removed, {result.restored} restored."
        )
        if result.kept:
            text += " " + "; ".join(result.kept) + "."
        messages.success(request, text)
    return _done(request, reverse("exchange:import-detail", args=[batch.pk]))
