"""The registry of what a user did, day by day, for streaks, the heatmap and the reviews.

Each app registers the activity it knows about (the network: conversations, favours, people
added) as `source(user, start, end) -> {date: count}` over local dates, both ends included,
in one query. `daily` never imports those apps; its own source, Today's actions done, is
registered here.

A day counts towards a streak when a source marked `streak=True` has something on it:
an action marked done on Today, or a conversation logged for that day (whether or not it
came from Today — the conversation is the practice).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connections
from django.db.models import Count
from django.db.models.functions import Substr, TruncDate

from cairn.daily.models import AgendaItem

Source = Callable[[Any, date, date], dict[date, int]]
# The size of something at the end of each given day (the network, say): one query for all.
Level = Callable[[Any, list[date]], list[int]]

TODAY_DONE = "today_done"


@dataclass(frozen=True)
class Activity:
    name: str
    one: str  # "conversation"
    many: str  # "conversations"
    source: Source
    streak: bool

    def words(self, count: int) -> str:
        return f"{count} {self.one if count == 1 else self.many}"


_SOURCES: dict[str, Activity] = {}
_LEVELS: dict[str, Level] = {}


def register_activity(
    name: str, *, one: str, many: str, streak: bool = False
) -> Callable[[Source], Source]:
    """Register `source(user, start, end) -> {date: count}` under `name` (one per name)."""

    def decorator(source: Source) -> Source:
        _SOURCES[name] = Activity(name=name, one=one, many=many, source=source, streak=streak)
        return source

    return decorator


def register_level(name: str) -> Callable[[Level], Level]:
    """Register `level(user, days) -> [size at the end of each day]` under `name`."""

    def decorator(level: Level) -> Level:
        _LEVELS[name] = level
        return level

    return decorator


def activities() -> dict[str, Activity]:
    """Every registered activity, by name."""
    return dict(_SOURCES)


def streak_names() -> list[str]:
    """The activities that make a day count, in name order."""
    return sorted(name for name, activity in _SOURCES.items() if activity.streak)


def counts_for(
    user: Any, start: date, end: date, names: Iterable[str]
) -> dict[str, dict[date, int]]:
    """Counts per day of each named activity between `start` and `end`; an activity nobody
    registered counts nothing (its app may be switched off)."""
    found = {}
    for name in names:
        activity = _SOURCES.get(name)
        found[name] = activity.source(user, start, end) if activity else {}
    return found


def level_for(user: Any, name: str, days: list[date]) -> list[int] | None:
    """The named level at the end of each day, or None when nobody registered it."""
    level = _LEVELS.get(name)
    return level(user, days) if level else None


def local_bounds(user: Any, start: date, end: date) -> tuple[datetime, datetime]:
    """The instants that begin `start` and end `end` in the user's own time zone, for
    filtering datetime columns by local dates (the end is excluded)."""
    zone = user.zone
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def per_local_day(queryset: Any, field: str, user: Any, start: date, end: date) -> dict[date, int]:
    """Rows of `queryset` per local date of the datetime column `field`, in one query."""
    low, high = local_bounds(user, start, end)
    rows = queryset.filter(**{f"{field}__gte": low, f"{field}__lt": high})
    if connections[rows.db].vendor == "sqlite":
        # Django's date functions are Python callbacks on SQLite, one call per row (seconds
        # for an import of 20,000 people): group on the stored UTC text's minute instead,
        # then place each minute in the user's day; every time zone is whole minutes off UTC.
        minutes = (
            rows.annotate(minute=Substr(field, 1, 16))
            .values("minute")
            .annotate(count=Count("pk"))
            .order_by()
            .values_list("minute", "count")
        )
        days: Counter[date] = Counter()
        for minute, count in minutes:
            instant = datetime.fromisoformat(minute).replace(tzinfo=UTC)
            days[instant.astimezone(user.zone).date()] += count
        return dict(days)
    grouped = (
        rows.annotate(day=TruncDate(field, tzinfo=user.zone))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("day", "count")
    )
    return dict(grouped)


@register_activity(
    TODAY_DONE, one="action done on Today", many="actions done on Today", streak=True
)
def today_done(user: Any, start: date, end: date) -> dict[date, int]:
    done = AgendaItem.objects.for_user(user).filter(state=AgendaItem.State.DONE)
    return per_local_day(done, "done_at", user, start, end)
