"""The date spellings of exports, one parser each."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.exchange.formats import dates
from cairn.exchange.records import PartialDate


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("04 Jul 2023", (date(2023, 7, 4), None)),
        ("4 July 2023", (date(2023, 7, 4), None)),
        ("1/8/18, 6:14 PM", (date(2018, 1, 8), time(18, 14))),
        ("12/15/24, 12:05 AM", (date(2024, 12, 15), time(0, 5))),
        ("12/15/24, 12:05 PM", (date(2024, 12, 15), time(12, 5))),
        ("2024-12-16 18:24:37 UTC", (date(2024, 12, 16), time(18, 24, 37))),
        ("2024/12/16 18:24:37 UTC", (date(2024, 12, 16), time(18, 24, 37))),
        ("", None),
    ],
)
def test_linkedin_dates_and_times(value, expected):
    assert dates.any_datetime(value) == expected


@pytest.mark.parametrize("value", ["sometime", "31 Feb 2023", "13/1/24, 1:00 PM", "2024-13-01"])
def test_unreadable_dates_name_the_value(value):
    with pytest.raises(ValueError, match=re.escape(repr(value))):
        dates.any_datetime(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Mar 2021", date(2021, 3, 1)), ("2017", date(2017, 1, 1)), ("", None)],
)
def test_position_dates(value, expected):
    assert dates.month_year(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985-03-31", PartialDate(3, 31, 1985)),
        ("--03-31", PartialDate(3, 31)),
        ("--0331", PartialDate(3, 31)),
        ("19850331", PartialDate(3, 31, 1985)),
        ("16040331", PartialDate(3, 31)),
        ("1604-03-31", PartialDate(3, 31)),
        ("--02-29", PartialDate(2, 29)),
    ],
)
def test_iso_birthdays(value, expected):
    assert dates.birthday_iso(value) == expected


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("4/23/1984", "mdy", PartialDate(4, 23, 1984)),
        ("7/9/1604", "mdy", PartialDate(7, 9)),
        ("31.3.1975", "dmy", PartialDate(3, 31, 1975)),
        ("14/07/1982", "dmy", PartialDate(7, 14, 1982)),
        ("0/0/00", "mdy", None),
        ("0.0.00", "dmy", None),
    ],
)
def test_outlook_birthdays(value, order, expected):
    assert dates.birthday_numeric(value, order=order) == expected


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_every_real_day_reads_back_in_each_spelling(day):
    month = MONTHS[day.month - 1]
    assert dates.any_datetime(f"{day.day:02d} {month} {day.year}") == (day, None)
    assert dates.any_datetime(f"{day.month}/{day.day}/{day.year}") == (day, None)
    assert dates.birthday_iso(day.isoformat()) == PartialDate(day.month, day.day, day.year)
    assert dates.birthday_numeric(f"{day.day}.{day.month}.{day.year}", order="dmy") == (
        PartialDate(day.month, day.day, day.year)
    )
