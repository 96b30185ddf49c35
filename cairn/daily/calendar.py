"""The calendar: a person's days ahead as iCalendar, for a subscribable feed or a download.

Events come from Today itself (the day's actions, snoozed ones on the day they come back)
and from sources other apps register here (the network: follow-ups due, interviews), so that
`daily` imports no other app. Every event is all-day with a UID that stays the same from one
fetch to the next, so calendar programs update events rather than duplicate them.

The feed is reached by a secret URL without a login: only the SHA-256 digest of its token
is stored, found by an indexed lookup (the comparison is the database's, on a digest an
attacker cannot choose), and regenerating or revoking it makes the old URL a 404.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cairn import __version__
from cairn.daily import services
from cairn.daily.models import AgendaItem

PAST_DAYS = 30
FUTURE_DAYS = 90
MAX_EVENTS = 2000  # a bound on the feed's size whatever the sources return
TOKEN_BYTES = 32


@dataclass(frozen=True)
class CalendarEvent:
    """One event, all day unless it has a time `at` (in the user's zone; it then lasts
    `minutes`). `uid` is stable and unique within its source ("follow-up-42"); `url` is a
    path on the site or empty; `stamp` is when its source row last changed."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""
    stamp: datetime | None = None
    category: str = ""
    at: time | None = None
    minutes: int = 60


Source = Callable[[Any, date, date], Iterable[CalendarEvent]]
_SOURCES: dict[str, Source] = {}


def source(name: str) -> Callable[[Source], Source]:
    """Register `source(user, first_day, last_day) -> events` (both days included)."""

    def decorator(function: Source) -> Source:
        _SOURCES[name] = function
        return function

    return decorator


def sources() -> dict[str, Source]:
    """Every registered source, by name."""
    return dict(_SOURCES)


def window(today: date) -> tuple[date, date]:
    """The days a calendar covers: the last month and the next three."""
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)


def agenda_events(user, today: date, last_day: date) -> list[CalendarEvent]:
    """Today's actions, and snoozed ones on the day they come back (read, never planned)."""
    items = AgendaItem.objects.for_user(user).filter(is_extra=False).select_related("agenda")
    todays = items.filter(agenda__day=today).exclude(
        state__in=[AgendaItem.State.SNOOZED, AgendaItem.State.SKIPPED]
    )
    snoozed = items.filter(
        state=AgendaItem.State.SNOOZED, snoozed_until__gt=today, snoozed_until__lte=last_day
    )
    events = []
    for item in [*todays, *snoozed]:
        day = item.snoozed_until if item.state == AgendaItem.State.SNOOZED else today
        done = item.state == AgendaItem.State.DONE
        events.append(
            CalendarEvent(
                uid=f"agenda-item-{item.pk}",
                day=day,
                summary=("Done: " if done else "") + item.title,
                description=item.why,
                url=item.url,
                stamp=item.updated_at,
                category="Today",
            )
        )
    return events


def events_for(user, *, today: date) -> list[CalendarEvent]:
    """Every event of the user's calendar window, by day, at most MAX_EVENTS."""
    first_day, last_day = window(today)
    events = agenda_events(user, today, last_day)
    for name in sorted(_SOURCES):
        events.extend(
            event for event in _SOURCES[name](user, first_day, last_day)
            if first_day <= event.day <= last_day
        )  # fmt: skip
    events.sort(key=lambda event: (event.day, event.uid))
    return events[:MAX_EVENTS]


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def calendar_bytes(user, *, now: datetime | None = None) -> bytes:
    """The user's calendar as an RFC 5545 document (for the feed and for a download)."""
    from icalendar import Calendar, Event  # imported when needed: it is slow to load

    now = now or timezone.now()
    today = services.local_day(user, now)
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    calendar = Calendar()
    calendar.add("prodid", f"-//Cairn//Cairn {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Cairn — {user.name}")
    calendar.add("x-published-ttl", timedelta(hours=1))
    # The stamp of an event without one is fixed, not "now": the same data, the same bytes.
    fallback = datetime(2000, 1, 1, tzinfo=UTC)
    for item in events_for(user, today=today):
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", (item.stamp or fallback).astimezone(UTC))
        if item.at is None:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
        else:
            start = datetime.combine(item.day, item.at, tzinfo=user.zone).astimezone(UTC)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=item.minutes))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", _absolute(item.url))
        if item.category:
            event.add("categories", [item.category])
        # An all-day reminder takes no time; a timed interview does.
        event.add("transp", "TRANSPARENT" if item.at is None else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()


# ---------------------------------------------------------------- the secret feed URL


def _digest(token: str) -> str:
    # As API tokens are kept: long random secrets need no salt, only a one-way digest.
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    """The absolute address of the feed for this secret."""
    return _absolute(reverse("daily:calendar-feed", kwargs={"token": token}))


@transaction.atomic
def calendar_token_create(*, user) -> str:
    """Make a new secret for the user's feed and return it; any previous URL stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.calendar_token_digest = _digest(token)
    user.save(update_fields=["calendar_token_digest"])
    return token


@transaction.atomic
def calendar_token_revoke(*, user) -> None:
    """Turn the feed off: its URL answers 404 from now on."""
    user.calendar_token_digest = None
    user.save(update_fields=["calendar_token_digest"])


def user_for_token(token: str):
    """The active account whose feed this secret opens, or None."""
    if not token:
        return None
    users = get_user_model().objects.filter(calendar_token_digest=_digest(token), is_active=True)
    return users.first()
