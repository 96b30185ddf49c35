"""Streak and calendar arithmetic, checked against slow obvious versions."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cairn.daily.streaks import (
    LEVELS,
    Streak,
    active_days,
    combine,
    current_streak,
    extend,
    heat_levels,
    longest_streak,
    monthly_totals,
    run_ending,
    week_start,
    weekly_totals,
)

TODAY = date(2026, 6, 10)  # a Wednesday
day_sets = st.sets(st.integers(min_value=0, max_value=60)).map(
    lambda offsets: {TODAY - timedelta(days=n) for n in offsets}
)


def runs(days):
    """Every run of consecutive days, the slow way."""
    found = []
    for day in days:
        if day - timedelta(days=1) in days:
            continue
        end = day
        while end + timedelta(days=1) in days:
            end += timedelta(days=1)
        found.append(Streak(length=(end - day).days + 1, start=day, end=end))
    return found


def test_no_days_no_streak():
    assert current_streak(set(), TODAY) == Streak()
    assert longest_streak([]) == Streak()


def test_a_streak_ending_today_counts_today():
    days = {TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=2)}
    assert current_streak(days, TODAY) == Streak(3, TODAY - timedelta(days=2), TODAY)


def test_a_streak_is_alive_until_today_is_over():
    yesterday = TODAY - timedelta(days=1)
    assert current_streak({yesterday}, TODAY) == Streak(1, yesterday, yesterday)


def test_a_missed_day_ends_the_streak():
    assert current_streak({TODAY - timedelta(days=2)}, TODAY) == Streak()


def test_of_equal_runs_the_most_recent_is_the_longest():
    days = {date(2026, 1, 1), date(2026, 1, 2), date(2026, 3, 1), date(2026, 3, 2)}
    assert longest_streak(days) == Streak(2, date(2026, 3, 1), date(2026, 3, 2))


@given(day_sets)
def test_the_longest_streak_is_the_longest_run(days):
    expected = max(runs(days), key=lambda r: (r.length, r.end), default=Streak())
    assert longest_streak(days) == expected


@given(day_sets)
def test_the_current_streak_is_the_run_touching_today_or_yesterday(days):
    touching = [r for r in runs(days) if r.end in (TODAY, TODAY - timedelta(days=1))]
    assert current_streak(days, TODAY) == (touching[0] if touching else Streak())
    assert current_streak(days, TODAY).length <= longest_streak(days).length


@given(day_sets)
def test_the_current_streak_from_the_run_before_yesterday_and_the_last_two_days(days):
    earlier = run_ending(days, TODAY - timedelta(days=2))
    yesterday = TODAY - timedelta(days=1) in days
    assert extend(earlier, yesterday=yesterday, today=TODAY in days, on=TODAY) == (
        current_streak(days, TODAY)
    )


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_weeks_start_on_monday(day):
    monday = week_start(day)
    assert monday.weekday() == 0 and 0 <= (day - monday).days < 7


counts = st.dictionaries(
    st.integers(min_value=0, max_value=120).map(lambda n: TODAY - timedelta(days=n)),
    st.integers(min_value=0, max_value=50),
)


@given(counts)
def test_weekly_totals_add_up_the_weeks_shown(values):
    totals = weekly_totals(values, last_week=TODAY, weeks=12)
    first = week_start(TODAY) - timedelta(weeks=11)
    assert len(totals) == 12
    assert sum(totals) == sum(n for day, n in values.items() if day >= first)
    this_week = sum(n for day, n in values.items() if day >= week_start(TODAY))
    assert totals[-1] == this_week


@given(counts)
def test_monthly_totals_add_up_the_year(values):
    totals = monthly_totals(values, year=2026)
    assert sum(totals) == sum(n for day, n in values.items() if day.year == 2026)
    assert totals[5] == sum(n for day, n in values.items() if day.month == 6 and day.year == 2026)


@given(counts)
def test_heat_levels_rise_with_the_count(values):
    levels = heat_levels(values)
    assert set(levels) == set(values)
    for day, count in values.items():
        assert (levels[day] == 0) == (count == 0)
        assert 0 <= levels[day] <= LEVELS
    ordered = sorted(values, key=values.get)
    assert [levels[d] for d in ordered] == sorted(levels[d] for d in ordered)


def test_one_busy_day_does_not_wash_out_the_rest():
    values = {TODAY - timedelta(days=n): 2 for n in range(1, 30)}
    values[TODAY] = 500
    levels = heat_levels(values)
    assert levels[TODAY] == LEVELS
    assert levels[TODAY - timedelta(days=1)] == LEVELS


@given(counts, counts)
def test_combine_adds_day_by_day(a, b):
    total = combine(a, b)
    assert sum(total.values()) == sum(a.values()) + sum(b.values())
    assert active_days(total) == active_days(a) | active_days(b)
