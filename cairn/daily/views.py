"""Today's pages. Every change is a POST: htmx gets the item back, a plain form a 303.

Today is the first page of every day and the most visited one: its list is rendered once per
change and kept in the cache under the agenda's stamp (which moves whenever an item changes),
so that a visit costs one small query. The list says how much else is due, counted again at
least every AGENDA_CACHE_SECONDS, since the network changes outside Today too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache as once
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.daily import practice, services
from cairn.daily.models import AgendaItem

AGENDA_CACHE_SECONDS = 600
DUE_PER_PAGE = 25
ITEM_ACTIONS = ("done", "snooze", "skip", "less-often")
# The cached agenda is rendered without a request: its forms get a placeholder for the CSRF
# token, swapped for the visitor's own on the way out. Looked for with its attribute name and
# quotes, it cannot come from an item's text, where quotes are escaped.
_CSRF_PLACEHOLDER = "csrf-token-goes-here"
_CSRF_HOLE = f'name="csrfmiddlewaretoken" value="{_CSRF_PLACEHOLDER}"'


def _dates(day: date) -> dict[str, Any]:
    """Dates the snooze forms offer, from the day they are shown on."""
    return {
        "today": day,
        "tomorrow": day + timedelta(days=1),
        "next_week": day + timedelta(days=7),
        "latest": day + timedelta(days=366),
        # As the date inputs want them, formatted once rather than in every form.
        "snooze_min": (day + timedelta(days=1)).isoformat(),
        "snooze_max": (day + timedelta(days=366)).isoformat(),
        "snooze_default": (day + timedelta(days=7)).isoformat(),
    }


@once
def _item_url_parts(prefix: str) -> dict[str, tuple[str, str]]:
    """Each item action's URL either side of the id, reversed once per process (and prefix)."""
    marker = 918273645
    parts = {}
    for action in ITEM_ACTIONS:
        url = reverse(f"daily:item-{action}", kwargs={"pk": marker})
        head, _, tail = url.partition(str(marker))
        parts[action.replace("-", "_")] = (head, tail)
    return parts


def _with_urls(items: list[AgendaItem]) -> list[AgendaItem]:
    """Give each item its four action URLs (`item.urls.done` …) by joining, not reversing."""
    parts = _item_url_parts(get_script_prefix())
    for item in items:
        urls = {name: f"{head}{item.pk}{tail}" for name, (head, tail) in parts.items()}
        item.urls = urls  # type: ignore[attr-defined]
    return items


def _progress(items: list[AgendaItem]) -> dict[str, int]:
    done = [item for item in items if item.state == AgendaItem.State.DONE]
    return {
        "chosen_count": sum(not item.is_extra for item in items),
        "chosen_done": sum(not item.is_extra for item in done),
        # Snoozed and skipped items are dealt with too: the day is done when none is open.
        "chosen_open": sum(
            not item.is_extra and item.state == AgendaItem.State.OPEN for item in items
        ),
        "done_count": len(done),
    }


def _agenda_block(user, now: datetime, *, show_more: bool) -> dict[str, Any]:
    """Today's list as HTML (with a CSRF hole) and the figures around it, cached per stamp."""
    stamp = services.agenda_stamp(user=user, now=now)
    key = _cache_key(stamp) if stamp is not None and not show_more else None
    block = cache.get(key) if key is not None else None
    if block is not None:
        return block
    agenda = services.agenda_for_today(user=user, now=now)
    items = list(agenda.items.all())
    chosen = [item for item in items if not item.is_extra]
    more = [item for item in items if item.is_extra and item.state == AgendaItem.State.OPEN]
    block = {"has_items": bool(chosen), "limit": agenda.limit, **_progress(items), "html": ""}
    if chosen:
        context = {
            "items": _with_urls(chosen),
            # The extra list is rendered on demand (htmx when it is opened, or ?more=1 without
            # JavaScript): it is most of the page and most days nobody opens it.
            "more": _with_urls(more) if show_more else [],
            "more_count": len(more),
            "due_count": services.due_count(user=user, agenda=agenda),
            "csrf_token": _CSRF_PLACEHOLDER,
            **_dates(agenda.day),
        }
        block["html"] = get_template("daily/today.html#agenda").render(context)
    # Kept under the stamp read before the agenda was: if it changed since, what was rendered
    # is newer than the stamp says and the next visit renders it again. An agenda made by this
    # visit is kept from the next one on; an empty one, made again on each visit, never.
    if key is not None and chosen:
        cache.set(key, block, AGENDA_CACHE_SECONDS)
    return block


def _cache_key(stamp: services.Stamp) -> str:
    return f"daily:today:{stamp.agenda_id}:{stamp.changed_at.isoformat()}"


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The first page of the day: a few explained actions, and more if there is time."""
    now = timezone.now()
    user = request.user
    block = _agenda_block(user, now, show_more=request.GET.get("more") == "1")
    csrf_token = get_token(request)
    token = f'name="csrfmiddlewaretoken" value="{csrf_token}"'
    return render(
        request,
        "daily/today.html",
        {
            "active": "today",
            "now": timezone.localtime(now, user.zone),
            **block,
            "agenda_html": mark_safe(block["html"].replace(_CSRF_HOLE, token)),  # noqa: S308
            "csrf_token": csrf_token,  # one token for the page, rather than one more for base.html
            **practice.today_panel(user, services.local_day(user, now)),
        },
    )


def _answer(request: HttpRequest, item: AgendaItem, error: str = "") -> HttpResponse:
    if request.htmx:
        item.refresh_from_db()
        today = services.local_day(request.user, timezone.now())
        context = {"item": _with_urls([item])[0], "error": error, **_dates(today)}
        html = render(request, "daily/today.html#item", context).content.decode()
        # The day's progress line changes too: sent along for htmx to swap out of band.
        items = list(AgendaItem.objects.filter(agenda_id=item.agenda_id).only("state", "is_extra"))
        progress = {"oob": True, **_progress(items)}
        html += render(request, "daily/today.html#progress", progress).content.decode()
        return HttpResponse(html)
    if error:
        messages.error(request, error)
    response = redirect("daily:today")
    response.status_code = 303
    return response


def _change(request: HttpRequest, pk: int, change) -> HttpResponse:
    item = get_owned_or_404(AgendaItem, request.user, pk=pk)
    try:
        change(item)
    except DomainError as error:
        return _answer(request, item, error.message)
    return _answer(request, item)


@login_required
@require_POST
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    return _change(
        request, pk, lambda item: services.item_done(user=request.user, item=item, note=note)
    )


def _snooze_until(request: HttpRequest) -> date:
    dates = _dates(services.local_day(request.user, timezone.now()))
    when = request.POST.get("when", "")
    if when in ("tomorrow", "next_week"):
        return dates[when]
    raw = request.POST.get("until", "").strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise DomainError(
            f"until: {raw!r} is not a date; use YYYY-MM-DD." if raw else "until: pick a date.",
            field="until",
        ) from None


@login_required
@require_POST
def item_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    def change(item: AgendaItem) -> None:
        services.item_snooze(user=request.user, item=item, until=_snooze_until(request))

    return _change(request, pk, change)


@login_required
@require_POST
def item_skip(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, lambda item: services.item_skip(user=request.user, item=item))


@login_required
@require_POST
def item_less_often(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(request, pk, lambda item: services.item_less_often(user=request.user, item=item))


@login_required
@require_GET
def more(request: HttpRequest) -> HttpResponse:
    """Today's "more if you have time" items, for the list when it is opened."""
    agenda = services.agenda_for_today(user=request.user, now=timezone.now())
    items = [
        item for item in agenda.items.all() if item.is_extra and item.state == AgendaItem.State.OPEN
    ]
    return render(
        request,
        "daily/today.html#more-items",
        {"more": _with_urls(items), **_dates(agenda.day)},
    )


# ---------------------------------------------------------------- everything due


def _due_filters(query) -> dict[str, Any]:
    """The due page's filters from its query string; anything unknown is ignored."""
    sort = query.get("sort", "")
    return {
        "kind": query.get("kind", "").strip(),
        "give": query.get("give") == "1",
        "text": " ".join(query.get("q", "").split())[:100],
        "closed": query.get("closed") == "1",
        "sort": sort if sort in services.DUE_SORTS else "score",
    }


def _due_query(filters: dict[str, Any]) -> str:
    """The filters as a query string, leaving out the defaults."""
    pairs = {
        "kind": filters["kind"],
        "give": "1" if filters["give"] else "",
        "q": filters["text"],
        "closed": "1" if filters["closed"] else "",
        "sort": "" if filters["sort"] == "score" else filters["sort"],
    }
    return urlencode({name: value for name, value in pairs.items() if value})


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    """Everything due today, not just the day's few: filtered, sorted, a page at a time."""
    agenda, rows = services.due_for(user=request.user, now=timezone.now())
    filters = _due_filters(request.GET)
    shown = services.due_select(rows, **filters)
    page = Paginator(shown, DUE_PER_PAGE).get_page(request.GET.get("page"))
    kinds = sorted({row.candidate.kind for row in rows})
    context = {
        "active": "today",
        "page": page,
        "filters": filters,
        # Not "query": base.html shows that in the search box.
        "due_query": _due_query(filters),
        "kinds": [(kind, services.kind_label(kind)) for kind in kinds],
        "total": len(rows) if filters["closed"] else sum(row.is_open for row in rows),
        "filtered": any(filters[name] for name in ("kind", "give", "text", "closed")),
        **_dates(agenda.day),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "daily/due.html#results", context)
    return render(request, "daily/due.html", context)


def _due_change(request: HttpRequest, change) -> HttpResponse:
    key = request.POST.get("key", "")
    # Back to the list as it was filtered, its query string read again rather than trusted.
    query = _due_query(_due_filters(QueryDict(request.POST.get("query", ""))))
    back = f"{reverse('daily:due')}?{query}".rstrip("?")
    try:
        row = change(key)
    except DomainError as error:
        if not request.htmx:
            messages.error(request, error.message)
            response = redirect(back)
            response.status_code = 303
            return response
        row = next(
            (row for row in services.due_for(user=request.user, now=timezone.now())[1]
             if row.key == key),
            None,
        )  # fmt: skip
        if row is None:
            context = {"slug": services.key_slug(key), "error": error.message}
            return render(request, "daily/due.html#gone", context)
        return _due_row(request, row, error.message)
    if request.htmx:
        return _due_row(request, row)
    response = redirect(back)
    response.status_code = 303
    return response


def _due_row(request: HttpRequest, row: services.Due, error: str = "") -> HttpResponse:
    day = services.local_day(request.user, timezone.now())
    query = _due_query(_due_filters(QueryDict(request.POST.get("query", ""))))
    context = {"row": row, "error": error, "due_query": query, **_dates(day)}
    return render(request, "daily/due.html#row", context)


@login_required
@require_POST
def due_done(request: HttpRequest) -> HttpResponse:
    note = request.POST.get("note", "")
    return _due_change(
        request, lambda key: services.due_done(user=request.user, key=key, note=note)
    )


@login_required
@require_POST
def due_snooze(request: HttpRequest) -> HttpResponse:
    return _due_change(
        request,
        lambda key: services.due_snooze(user=request.user, key=key, until=_snooze_until(request)),
    )


@login_required
@require_POST
def due_skip(request: HttpRequest) -> HttpResponse:
    return _due_change(request, lambda key: services.due_skip(user=request.user, key=key))


@login_required
@require_POST
def due_less_often(request: HttpRequest) -> HttpResponse:
    return _due_change(request, lambda key: services.due_less_often(user=request.user, key=key))
