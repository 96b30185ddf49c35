"""Streaks and calendar sums (pure: dates and counts in, numbers out; no ORM, no clock).

A day is *active* when at least one action was done on it. Which actions count is decided by
the activity registry (`cairn.daily.activity`); here a day is just a date with a count.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Streak:
    """A run of consecutive active days: `length` days from `start` to `end` (both included)."""

    length: int = 0
    start: date | None = None
    end: date | None = None


def active_days(counts: Mapping[date, int]) -> set[date]:
    """The days with at least one action."""
    return {day for day, count in counts.items() if count > 0}


def _run_back(days: Collection[date], end: date) -> Streak:
    start = end
    while start - ONE_DAY in days:
        start -= ONE_DAY
    return Streak(length=(end - start).days + 1, start=start, end=end)


def current_streak(days: Collection[date], today: date) -> Streak:
    """The run that ends today, or yesterday: a streak is still alive until today is over."""
    for end in (today, today - ONE_DAY):
        if end in days:
            return _run_back(days, end)
    return Streak()


def run_ending(days: Collection[date], end: date) -> Streak:
    """The run of active days that ends on `end` (nothing when `end` was not active)."""
    return _run_back(days, end) if end in days else Streak()


def extend(earlier: Streak, *, yesterday: bool, today: bool, on: date) -> Streak:
    """The current streak on `on`, from `earlier` (the run that ended the day before
    yesterday) and whether yesterday and today were active: older days need no reading."""
    if yesterday:
        start = earlier.start if earlier.start is not None else on - ONE_DAY
        end = on if today else on - ONE_DAY
        return Streak(length=(end - start).days + 1, start=start, end=end)
    if today:
        return Streak(length=1, start=on, end=on)
    return Streak()


def longest_streak(days: Iterable[date]) -> Streak:
    """The longest run of consecutive days; of equal runs, the most recent."""
    best = Streak()
    start = previous = None
    for day in sorted(set(days)):
        if previous is None or day - previous != ONE_DAY:
            start = day
        previous = day
        assert start is not None
        length = (day - start).days + 1
        if length >= best.length:
            best = Streak(length=length, start=start, end=day)
    return best


def week_start(day: date) -> date:
    """The Monday of the week `day` is in."""
    return day - timedelta(days=day.weekday())


def weekly_totals(counts: Mapping[date, int], *, last_week: date, weeks: int) -> list[int]:
    """Sums per week (Monday to Sunday) for `weeks` weeks, the oldest first, ending with the
    week that holds `last_week`."""
    first = week_start(last_week) - timedelta(weeks=weeks - 1)
    totals = [0] * weeks
    for day, count in counts.items():
        index = (day - first).days // 7
        if 0 <= index < weeks:
            totals[index] += count
    return totals


def monthly_totals(counts: Mapping[date, int], *, year: int) -> list[int]:
    """Sums per calendar month of `year`, January first."""
    totals = [0] * 12
    for day, count in counts.items():
        if day.year == year:
            totals[day.month - 1] += count
    return totals


def combine(*sources: Mapping[date, int]) -> dict[date, int]:
    """Day-by-day sums of several sources of counts."""
    total: dict[date, int] = {}
    for source in sources:
        for day, count in source.items():
            if count:
                total[day] = total.get(day, 0) + count
    return total


LEVELS = 4


def heat_levels(counts: Mapping[date, int]) -> dict[date, int]:
    """A shade from 0 (nothing) to LEVELS for each day.

    The scale tops out at the busiest tenth of active days rather than the single busiest
    one, so that one day of imports does not wash every other day out to the palest shade.
    """
    busy = sorted(count for count in counts.values() if count > 0)
    if not busy:
        return {day: 0 for day in counts}
    peak = busy[(len(busy) - 1) * 9 // 10]
    return {day: _level(count, peak) for day, count in counts.items()}


def _level(count: int, peak: int) -> int:
    if count <= 0:
        return 0
    if count >= peak:
        return LEVELS
    return max(1, -(-count * LEVELS // peak))  # ceiling division
