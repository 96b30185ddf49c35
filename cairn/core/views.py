from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache

from cairn import __version__
from cairn.core import search as engine
from cairn.core.areas import AREAS
from cairn.core.models import WorkerHeartbeat


@login_required
def area(request: HttpRequest, slug: str) -> HttpResponse:
    """An area that has no pages yet says what it will do rather than 404."""
    if slug not in AREAS:
        raise Http404("No such area.")
    return render(request, "core/area.html", {"area": AREAS[slug], "active": slug})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search-as-you-type answers htmx with a few suggestions; the page shows more, by kind."""

    suggestions, per_kind = 8, 25
    query = request.GET.get("q", "").strip()[:200]
    if request.htmx:
        hits = engine.query(request.user, query, limit=suggestions)
    else:
        hits = [
            hit
            for kind in engine.kinds()
            for hit in engine.query(request.user, query, kinds=[kind.name], limit=per_kind)
        ]
    context = {
        "query": query,
        "results": hits,
        "groups": engine.grouped(hits),
        "suggestions": bool(request.htmx),
        "per_kind": per_kind,
    }
    template = "core/search_results.html" if request.htmx else "core/search.html"
    return render(request, template, context)


@login_required
def quick_add(request: HttpRequest) -> HttpResponse:
    """The header's "+ Add" (and the "a" key): quick add lives with the network."""
    return redirect("network:quick-add")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable, and when the newest worker heartbeat was (for monitoring)."""
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
    except Exception as error:  # report, never raise: this endpoint exists to say what is wrong
        return JsonResponse(
            {"status": "error", "database": f"unreachable: {type(error).__name__}"}, status=503
        )
    stale_after = timedelta(seconds=settings.WORKER_STALE_SECONDS)
    if beat is None:
        worker = {"status": "never seen"}
    else:
        age = (now - beat.beat_at).total_seconds()
        worker = {
            "status": "ok" if age <= stale_after.total_seconds() else "stale",
            "last_heartbeat_at": beat.beat_at.isoformat(),
            "seconds_ago": round(age),
        }
    # ?worker=required makes a missing or stale worker an error, for monitors that watch it.
    failing = request.GET.get("worker") == "required" and worker["status"] != "ok"
    return JsonResponse(
        {
            "status": "error" if failing else "ok",
            "version": __version__,
            "database": "ok",
            "worker": worker,
        },
        status=503 if failing else 200,
    )


def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "Cairn",
        "short_name": "Cairn",
        "description": "A few small career actions a day.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f5f0",
        "theme_color": "#2f5d50",
        "icons": [
            {"src": static("cairn/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("cairn/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("cairn/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data)
    response["Content-Type"] = "application/manifest+json"
    return response
