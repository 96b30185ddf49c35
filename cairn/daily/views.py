"""Today's pages. Every change is a POST: htmx gets the item back, a plain form a 303."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.daily import practice, services
from cairn.daily.models import AgendaItem


def _dates(user, now: datetime) -> dict[str, date]:
    today = services.local_day(user, now)
    return {
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "next_week": today + timedelta(days=7),
        "latest": today + timedelta(days=366),
    }


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """The first page of the day: a few explained actions, and more if there is time."""
    now = timezone.now()
    agenda = services.agenda_for_today(user=request.user, now=now)
    items = list(agenda.items.all())
    chosen = [item for item in items if not item.is_extra]
    more = [item for item in items if item.is_extra and item.state == AgendaItem.State.OPEN]
    # The extra list is rendered on demand (htmx when it is opened, or ?more=1 without
    # JavaScript): it is most of the page and most days nobody opens it.
    shown_more = more if request.GET.get("more") == "1" else []
    return render(
        request,
        "daily/today.html",
        {
            "active": "today",
            "now": timezone.localtime(now, request.user.zone),
            "agenda": agenda,
            "items": chosen,
            "more": shown_more,
            "more_count": len(more),
            **_progress(items),
            "limit": agenda.limit,
            **_dates(request.user, now),
            **practice.today_panel(request.user, agenda.day),
        },
    )


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


def _answer(request: HttpRequest, item: AgendaItem, error: str = "") -> HttpResponse:
    if request.htmx:
        item.refresh_from_db()
        context = {"item": item, "error": error, **_dates(request.user, timezone.now())}
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
    dates = _dates(request.user, timezone.now())
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
        {"more": items, **_dates(request.user, timezone.now())},
    )
