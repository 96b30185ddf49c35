"""The practice over time: streaks, the yearly heatmap, weekly numbers and the reviews.

Reads only: the numbers come from the activity registry (`cairn.daily.activity`), so this
module knows nothing of the apps that do the counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString

from cairn.daily import activity, charts, heatmap, reviews
from cairn.daily.models import WeeklyReview, YearlyReview
from cairn.daily.streaks import (
    Streak,
    active_days,
    combine,
    current_streak,
    extend,
    longest_streak,
    monthly_totals,
    run_ending,
    week_start,
    weekly_totals,
)

# Today's panel looks this far back for the current streak, so that it costs the same
# whatever the history; a longer streak is shown as "more than a year".
PANEL_WINDOW_DAYS = 400
PANEL_CACHE_SECONDS = 26 * 3600
HISTORY_START = date(1970, 1, 1)
WEEKS_SHOWN = 12
WEEKLY_NAMES = ("conversations", "favours_given", "people_added", activity.TODAY_DONE)
YEAR_NAMES = (
    "conversations",
    "favours_given",
    "favours_received",
    "people_added",
    "people_met",
    activity.TODAY_DONE,
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Panel:
    """What Today shows of the practice."""

    streak: Streak
    at_least: bool  # the streak reaches past the window looked at
    active_today: bool
    focus: str
    focus_review: WeeklyReview | None
    nudge_week: date | None  # a review to write, on Sundays and Mondays


def _streak_counts(user: Any, start: date, end: date) -> dict[str, dict[date, int]]:
    return activity.counts_for(user, start, end, activity.streak_names())


def _recent_days(user: Any, day: date) -> tuple[Streak, bool, set[date]]:
    """The run that ended the day before yesterday, whether it reaches past the window
    looked at, and which of yesterday and today were active.

    The run is read once a day over the panel's window and cached, as days that old rarely
    change; after that only the last two days are read. Either way, two queries.
    """
    key = f"practice:run:{user.pk}:{user.date_joined.timestamp()}:{day.isoformat()}"
    yesterday = day - timedelta(days=1)
    found = cache.get(key)
    if found is not None:
        earlier, at_least = found
        return (
            earlier,
            at_least,
            active_days(combine(*_streak_counts(user, yesterday, day).values())),
        )
    start = day - timedelta(days=PANEL_WINDOW_DAYS)
    days = active_days(combine(*_streak_counts(user, start, day).values()))
    earlier = run_ending(days, day - timedelta(days=2))
    at_least = earlier.start is not None and earlier.start <= start
    cache.set(key, (earlier, at_least), PANEL_CACHE_SECONDS)
    return earlier, at_least, {d for d in days if d >= yesterday}


def today_panel(user: Any, day: date) -> dict[str, Any]:
    """What Today shows of the practice beside the agenda (streak, this week's focus).

    Three queries whatever the history: two for the streak (see `_recent_days`; an action
    logged today for three or more days ago counts in the streak from tomorrow) and one for
    the reviews.
    """
    earlier, at_least, recent = _recent_days(user, day)
    yesterday = day - timedelta(days=1) in recent
    streak = extend(earlier, yesterday=yesterday, today=day in recent, on=day)
    this_week = week_start(day)
    last_week = this_week - timedelta(weeks=1)
    written = {
        review.week_of: review
        for review in WeeklyReview.objects.for_user(user)
        .filter(week_of__in=[last_week, this_week])
        .only("pk", "week_of", "next_week_focus")
    }
    focus_review = written.get(last_week)
    nudge = reviews.nudge_week(day)
    panel = Panel(
        streak=streak,
        at_least=at_least and yesterday,
        active_today=day in recent,
        focus=focus_review.next_week_focus if focus_review else "",
        focus_review=focus_review,
        nudge_week=nudge if nudge is not None and nudge not in written else None,
    )
    return {"practice_panel": panel}


# ---------------------------------------------------------------- the practice page


@dataclass(frozen=True)
class WeekRow:
    monday: date
    counts: dict[str, int]
    active_days: int

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


@dataclass
class Overview:
    today: date
    current: Streak
    longest: Streak
    active_days_year: int
    actions_year: int
    heatmap: SafeString
    heatmap_summary: str
    weeks: list[WeekRow]
    weekly_chart: SafeString


def _describer(per_source: dict[str, dict[date, int]]):
    known = activity.activities()

    def describe(day: date, count: int) -> str:
        words = [
            known[name].words(counts[day])
            for name, counts in sorted(per_source.items())
            if counts.get(day) and name in known
        ]
        return ", ".join(words) if words else "nothing logged"

    return describe


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def practice_overview(user: Any, today: date) -> Overview:
    """Streaks over the whole history, the last year's calendar and the last weeks' numbers."""
    per_source = _streak_counts(user, HISTORY_START, today)
    total = combine(*per_source.values())
    days = active_days(total)
    start = week_start(today) - timedelta(weeks=52)
    year_days = [day for day in days if day >= start]
    year_actions = sum(count for day, count in total.items() if day >= start)
    summary = (
        f"{_plural(len(year_days), 'active day', 'active days')} since {start:%-d %B %Y}, "
        f"{_plural(year_actions, 'action', 'actions')} in all."
    )
    weeks_start = week_start(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    others = [name for name in WEEKLY_NAMES if name not in per_source]
    counts = {**per_source, **activity.counts_for(user, weeks_start, today, others)}
    totals = {
        name: weekly_totals(counts.get(name, {}), last_week=today, weeks=WEEKS_SHOWN)
        for name in WEEKLY_NAMES
    }
    active = weekly_totals(dict.fromkeys(days, 1), last_week=today, weeks=WEEKS_SHOWN)
    weeks = [
        WeekRow(
            monday=weeks_start + timedelta(weeks=index),
            counts={name: totals[name][index] for name in WEEKLY_NAMES},
            active_days=active[index],
        )
        for index in range(WEEKS_SHOWN)
    ]
    conversations = [row.counts["conversations"] for row in weeks]
    return Overview(
        today=today,
        current=current_streak(days, today),
        longest=longest_streak(days),
        active_days_year=len(year_days),
        actions_year=year_actions,
        heatmap=heatmap.heatmap_svg(
            total,
            start=start,
            end=today,
            title="Your practice over the last year",
            summary=summary,
            describe=_describer(per_source),
        ),
        heatmap_summary=summary,
        weeks=weeks,
        weekly_chart=charts.bar_chart_svg(
            conversations,
            [f"{row.monday:%-d %b}" if index % 2 == 0 else "" for index, row in enumerate(weeks)],
            [
                f"Week of {row.monday:%-d %B}: {_plural(n, 'conversation', 'conversations')}"
                for row, n in zip(weeks, conversations, strict=True)
            ],
            title=f"Conversations per week, last {WEEKS_SHOWN} weeks",
            summary=f"{sum(conversations):,} conversations over {WEEKS_SHOWN} weeks; "
            f"the busiest week had {max(conversations, default=0):,}.",
            prefix="weekly-conversations",
            width=440,
        ),
    )


def week_numbers(user: Any, monday: date) -> dict[str, Any]:
    """The numbers of one week, Monday to Sunday, for the review beside them."""
    sunday = monday + timedelta(days=6)
    counts = activity.counts_for(user, monday, sunday, WEEKLY_NAMES)
    known = activity.activities()
    streak_days = active_days(
        combine(*(counts[name] for name in activity.streak_names() if name in counts))
    )
    named = [
        (name, known[name].many if name in known else name, sum(counts[name].values()))
        for name in WEEKLY_NAMES
    ]
    return {
        "monday": monday,
        "sunday": sunday,
        "named": named,
        "rows": [(label, count) for _, label, count in named],
        "active_days": len(streak_days),
    }


@dataclass(frozen=True)
class Streaks:
    current: Streak
    longest: Streak
    active_today: bool


def streaks(user: Any, today: date) -> Streaks:
    """The current and the longest streak over the whole history."""
    days = active_days(combine(*_streak_counts(user, HISTORY_START, today).values()))
    return Streaks(
        current=current_streak(days, today),
        longest=longest_streak(days),
        active_today=today in days,
    )


# ---------------------------------------------------------------- the year


@dataclass
class YearOverview:
    year: int
    start: date
    end: date
    totals: dict[str, int]
    labels: dict[str, str]
    active_days: int
    longest: Streak
    network_start: int | None
    network_end: int | None
    conversations_chart: SafeString
    network_chart: SafeString | None
    monthly_conversations: list[tuple[str, int]]
    network_points: list[tuple[str, int]]
    heatmap: SafeString
    heatmap_summary: str

    @property
    def so_far(self) -> bool:
        """The year is not over yet."""
        return self.end < date(self.year, 12, 31)


def year_overview(user: Any, year: int, today: date) -> YearOverview:
    """A year's numbers: people, conversations by month, favours, the network's growth."""
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), today)
    counts = activity.counts_for(user, start, end, YEAR_NAMES)
    streak_counts = {name: counts[name] for name in activity.streak_names() if name in counts}
    extra = [name for name in activity.streak_names() if name not in counts]
    streak_counts.update(activity.counts_for(user, start, end, extra))
    total = combine(*streak_counts.values())
    days = active_days(total)
    known = activity.activities()
    labels = {name: known[name].many if name in known else name for name in YEAR_NAMES}
    totals = {name: sum(counts[name].values()) for name in YEAR_NAMES}

    months = monthly_totals(counts["conversations"], year=year)
    shown_months = end.month
    monthly = list(zip(MONTHS[:shown_months], months[:shown_months], strict=True))
    conversations_chart = charts.bar_chart_svg(
        [n for _, n in monthly],
        [name for name, _ in monthly],
        [
            f"{date(year, index + 1, 1):%B %Y}: {_plural(n, 'conversation', 'conversations')}"
            for index, (_, n) in enumerate(monthly)
        ],
        title=f"Conversations by month in {year}",
        summary=f"{totals['conversations']:,} conversations in {year}"
        + (
            f"; the busiest month was {max(monthly, key=lambda m: m[1])[0]}."
            if any(months)
            else "."
        ),
        prefix="monthly-conversations",
        width=480,
    )

    ends = [start - timedelta(days=1)] + [
        min(_month_end(year, month), end) for month in range(1, shown_months + 1)
    ]
    sizes = activity.level_for(user, "network_size", ends)
    network_points: list[tuple[str, int]] = []
    network_chart = None
    if sizes is not None:
        network_points = [("1 Jan", sizes[0])] + [
            (f"{day:%-d %b}", size) for day, size in zip(ends[1:], sizes[1:], strict=True)
        ]
        network_chart = charts.line_chart_svg(
            sizes,
            ["Start"] + [MONTHS[index] for index in range(shown_months)],
            [f"{_plural(size, 'person', 'people')} on {label}" for label, size in network_points],
            title=f"Your network through {year}",
            summary=f"From {sizes[0]:,} to {sizes[-1]:,} people.",
            prefix="network-size",
            width=480,
        )
    summary = (
        f"{_plural(len(days), 'active day', 'active days')} in {year}, "
        f"{_plural(sum(total.values()), 'action', 'actions')} in all."
    )
    return YearOverview(
        year=year,
        start=start,
        end=end,
        totals=totals,
        labels=labels,
        active_days=len(days),
        longest=longest_streak(days),
        network_start=sizes[0] if sizes else None,
        network_end=sizes[-1] if sizes else None,
        conversations_chart=conversations_chart,
        network_chart=network_chart,
        monthly_conversations=monthly,
        network_points=network_points,
        heatmap=heatmap.heatmap_svg(
            total,
            start=start,
            end=end,
            title=f"Your practice in {year}",
            summary=summary,
            describe=_describer(streak_counts),
            prefix=f"heatmap-{year}",
        ),
        heatmap_summary=summary,
    )


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def review_years(user: Any, today: date) -> list[tuple[int, YearlyReview | None]]:
    """The years to offer a take-stock for: the last three, and any year already written."""
    written = {review.year: review for review in YearlyReview.objects.for_user(user)}
    years = sorted({today.year, today.year - 1, today.year - 2, *written}, reverse=True)
    return [(year, written.get(year)) for year in years]
