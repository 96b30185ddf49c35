"""Downloads of the user's own data, and restoring a complete archive into an empty account.

Every download is streamed and names its file; every one is built from the requesting
account's rows only (the export functions take the user first and filter by owner).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cairn.core.errors import DomainError
from cairn.exchange import archive, export
from cairn.exchange.forms import megabytes
from cairn.network.selectors import circles_for


def download(chunks: Iterable[Any], format: str) -> StreamingHttpResponse:
    """A streamed attachment named like `cairn-people-2026-11-25.vcf`."""
    _, _, content_type = export.FORMATS[format]
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename(format)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def export_context(user: Any, **extra: Any) -> dict[str, Any]:
    """What the export section shows: the circles to choose from."""
    return {"export_circles": list(circles_for(user).values_list("name", flat=True)), **extra}


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/export.html", export_context(request.user))


def _choice(request: HttpRequest) -> export.PeopleChoice:
    return export.PeopleChoice(
        circle=request.GET.get("circle", "").strip()[:80],
        query=request.GET.get("q", "").strip()[:200],
    )


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    context = export_context(request.user, export_error=error.message)
    return render(request, "exchange/export.html", context, status=400)


@login_required
@require_GET
def archive_json(request: HttpRequest) -> StreamingHttpResponse:
    return download(archive.write_archive(request.user), "archive")


@login_required
@require_GET
def people_vcf(request: HttpRequest) -> HttpResponse:
    version = request.GET.get("version", "3.0")
    choice = _choice(request)
    try:
        if version not in export.VCARD_VERSIONS:
            raise DomainError(f"vCard {version} is not one Cairn writes: choose 3.0 or 4.0.")
        export.people_to_export(request.user, choice)  # an unknown circle is refused here
    except DomainError as error:
        return _refused(request, error)
    return download(export.vcards(request.user, choice, version=version), "vcard")


@login_required
@require_GET
def people_csv(request: HttpRequest) -> HttpResponse:
    choice = _choice(request)
    try:
        export.people_to_export(request.user, choice)
    except DomainError as error:
        return _refused(request, error)
    return download(export.people_csv(request.user, choice), "people-csv")


@login_required
@require_GET
def organisations_csv(request: HttpRequest) -> StreamingHttpResponse:
    return download(export.organisations_csv(request.user), "organisations-csv")


@login_required
@require_GET
def interactions_csv(request: HttpRequest) -> StreamingHttpResponse:
    return download(export.interactions_csv(request.user), "interactions-csv")


@login_required
@require_GET
def calendar_ics(request: HttpRequest) -> StreamingHttpResponse:
    return download([export.calendar_ics(request.user)], "ics")


@login_required
@require_POST
def archive_restore(request: HttpRequest) -> HttpResponse:
    """Restore an uploaded archive into the (empty) account: a 303 to Settings with what was
    restored, or the form again with the reason it was refused."""
    upload = request.FILES.get("archive")
    error = ""
    result = None
    if upload is None:
        error = "Choose the archive file to restore (a .json file Cairn made)."
    elif upload.size > settings.IMPORT_MAX_BYTES:
        error = (
            f"{upload.name} is {megabytes(upload.size)}; this server takes archives of up to "
            f"{megabytes(settings.IMPORT_MAX_BYTES)} through the web. Restore it on the server "
            "with `cairn import PATH --format archive`."
        )
    else:
        try:
            result = archive.restore_archive(request.user, upload, name=upload.name)
        except DomainError as refused:
            error = refused.message
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx answers: a refusal is the form again, saying why.
        context = {"restore_error": error, "restore_result": result}
        return render(request, "exchange/settings_section.html#restore", context)
    if error:
        return render(
            request, "exchange/archive_restore.html", {"restore_error": error}, status=400
        )
    assert result is not None
    messages.success(request, result.summary())
    for warning in result.warnings[:5]:
        messages.warning(request, warning)
    response = redirect("accounts:settings")
    response.status_code = 303
    return response
