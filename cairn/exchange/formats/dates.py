"""The date spellings found in exports, one small parser each (pure).

Every parser returns None for an empty cell and raises ValueError for a value it cannot
read, so the reader can name the row and column.
"""

from __future__ import annotations

import re
from datetime import date, time

from cairn.exchange.records import PartialDate

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janv", "janvier", "januar", "jän"),
            ("feb", "february", "févr", "fevr", "février", "februar"),
            ("mar", "march", "mars", "märz", "mär", "maerz"),
            ("apr", "april", "avr", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juil", "juillet", "juli"),
            ("aug", "august", "août", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "okt", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "déc", "décembre", "dez", "dezember"),
        ),
        start=1,
    )
    for name in names
}

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([^\W\d_]+\.?)[ -](\d{4})")
_YEAR_FIRST = re.compile(r"\d{4}[-/]")

# Outlook and Apple write this year for "no year known".
NO_YEAR = 1604


def month_number(name: str) -> int:
    """`Mar`, `March`, `mars`, `März` → 3; ValueError for anything else."""
    key = name.strip().rstrip(".").lower()
    if key not in MONTHS:
        raise ValueError(f"{name!r} is not a month")
    return MONTHS[key]


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def day_month_year(value: str) -> date | None:
    """LinkedIn `04 Jul 2023` (also `4 July 2023`)."""
    value = value.strip()
    if not value:
        return None
    match = _DAY_MONTH_YEAR.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a date like 04 Jul 2023")
    return date(int(match[3]), month_number(match[2]), int(match[1]))


def us_datetime(value: str) -> tuple[date, time | None] | None:
    """LinkedIn 2018 and invitations: `1/8/18, 6:14 PM`, `12/15/24, 7:47 AM`, `1/8/2018`."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(
        r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?",
        value,
    )
    if not match:
        raise ValueError(f"{value!r} is not a date like 1/8/18, 6:14 PM")
    day = date(_year(match[3]), int(match[1]), int(match[2]))
    if match[4] is None:
        return day, None
    hour = int(match[4])
    if match[7]:
        if not 1 <= hour <= 12:
            raise ValueError(f"{value!r} has an hour out of range")
        hour = hour % 12 + (12 if match[7].lower() == "pm" else 0)
    return day, time(hour, int(match[5]), int(match[6] or 0))


def iso_datetime(value: str) -> tuple[date, time | None] | None:
    """`2024-12-16 18:24:37 UTC`, `2024/12/16 18:24:37 UTC`, `2024-12-16T18:24:37Z`."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(
        r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
        r"\s*(?:UTC|GMT|Z|[+-]00:?00)?",
        value,
    )
    if not match:
        raise ValueError(f"{value!r} is not a date like 2024-12-16 18:24:37 UTC")
    day = date(int(match[1]), int(match[2]), int(match[3]))
    if match[4] is None:
        return day, None
    return day, time(int(match[4]), int(match[5]), int(match[6] or 0))


def any_datetime(value: str) -> tuple[date, time | None] | None:
    """Whichever of LinkedIn's spellings `value` uses (`04 Jul 2023`, `1/8/18, 6:14 PM`,
    `2024-12-16 18:24:37 UTC`)."""
    value = value.strip()
    if not value:
        return None
    try:
        if _YEAR_FIRST.match(value):
            return iso_datetime(value)
        if "/" in value:
            return us_datetime(value)
        day = day_month_year(value)
    except ValueError as error:
        if repr(value) in str(error):
            raise
        raise ValueError(f"{value!r} is not a real date") from None
    return (day, None) if day else None


def month_year(value: str) -> date | None:
    """LinkedIn positions: `Mar 2021` (first of the month) or `2021` (first of January)."""
    value = value.strip()
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}", value):
            return date(int(value), 1, 1)
        match = re.fullmatch(r"([^\W\d_]+\.?)\s+(\d{4})", value)
        if match:
            return date(int(match[2]), month_number(match[1]), 1)
        match = re.fullmatch(r"(\d{1,2})/(\d{4})", value)
        if match:
            return date(int(match[2]), int(match[1]), 1)
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a date like Mar 2021 or 2021")


def partial(year: int | None, month: int, day: int) -> PartialDate:
    """A checked PartialDate; the 1604 sentinel means no year."""
    if year == NO_YEAR:
        year = None
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29 February stays possible
    except ValueError:
        shown = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        raise ValueError(f"{shown} is not a real date") from None
    return PartialDate(month=month, day=day, year=year)


def birthday_iso(value: str) -> PartialDate | None:
    """Google and vCard: `1985-03-31`, `--03-31`, `--0331`, `19850331`, `16040331`."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(r"--(\d{2})-?(\d{2})", value)
    if match:
        return partial(None, int(match[1]), int(match[2]))
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", value)
    if match:
        return partial(int(match[1]), int(match[2]), int(match[3]))
    raise ValueError(f"{value!r} is not a birthday like 1985-03-31 or --03-31")


def birthday_numeric(value: str, *, order: str) -> PartialDate | None:
    """Outlook: `3/31/1985` (order "mdy"), `31.3.1985` or `31/03/1985` (order "dmy");
    `0/0/00` and `0.0.00` mean none."""
    value = value.strip()
    if not value:
        return None
    parts = re.split(r"[./-]", value.split(" ")[0])
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return birthday_iso(value)
        raise ValueError(f"{value!r} is not a date")
    if all(int(part) == 0 for part in parts):
        return None
    first, second, year = (int(part) for part in parts)
    month, day = (first, second) if order == "mdy" else (second, first)
    if len(parts[2]) == 2:
        year = _year(parts[2])
    return partial(year, month, day)
