"""The activity calendar: one square per day, a column per week (Monday at the top), drawn
as an SVG on the server (pure: counts in, markup out).

The colours are classes (`heat-0` … `heat-4`) that practice.css maps to the stylesheet's
variables, so the same markup reads in light and dark.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from html import escape

from django.utils.safestring import SafeString, mark_safe

from cairn.daily.streaks import heat_levels, week_start

CELL = 11
STEP = 14  # a cell and its gap
LEFT = 30  # room for the weekday names
TOP = 18  # room for the month names
WEEKDAYS = {0: "Mon", 2: "Wed", 4: "Fri"}


def week_count(start: date, end: date) -> int:
    """How many columns the days from `start` to `end` take."""
    return (week_start(end) - week_start(start)).days // 7 + 1


def heatmap_svg(
    counts: Mapping[date, int],
    *,
    start: date,
    end: date,
    title: str,
    summary: str,
    describe: Callable[[date, int], str],
    prefix: str = "heatmap",
) -> SafeString:
    """An SVG calendar of the days from `start` to `end`; each square's tooltip is its date
    and `describe(day, count)`; `title` and `summary` label the whole for screen readers."""
    first = week_start(start)
    columns = week_count(start, end)
    width = LEFT + columns * STEP
    height = TOP + 7 * STEP
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    levels = heat_levels({day: counts.get(day, 0) for day in days})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(summary)}</desc>',
    ]
    for row, name in WEEKDAYS.items():
        y = TOP + row * STEP + CELL - 1
        parts.append(f'<text class="heat-label" x="0" y="{y}">{name}</text>')
    parts.extend(_month_labels(start, end, first))
    for day in days:
        column = (week_start(day) - first).days // 7
        x = LEFT + column * STEP
        y = TOP + day.weekday() * STEP
        count = counts.get(day, 0)
        label = f"{day:%a %-d %B %Y}: {describe(day, count)}"
        parts.append(
            f'<rect class="heat-{levels[day]}" x="{x}" y="{y}" width="{CELL}" height="{CELL}"'
            f' rx="2" data-date="{day.isoformat()}" data-count="{count}">'
            f"<title>{escape(label)}</title></rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def _month_labels(start: date, end: date, first: date) -> list[str]:
    labels = []
    last_column = -3
    month = date(start.year, start.month, 1)
    while month <= end:
        shown = max(month, start)
        column = (week_start(shown) - first).days // 7
        # A month that starts in the last days of a week is named from its first full week.
        if shown.weekday() > 3:
            column += 1
        if column - last_column >= 3 and column < week_count(start, end):
            labels.append(
                f'<text class="heat-label" x="{LEFT + column * STEP}" y="{TOP - 6}">'
                f"{month:%b}</text>"
            )
            last_column = column
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return labels
