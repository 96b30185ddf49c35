"""Keep-in-touch arithmetic (pure): when someone is due, and by how much they are overdue."""

from __future__ import annotations

from datetime import date, timedelta


def next_due(
    *, last_contact_on: date | None, cadence_days: int | None, created_on: date
) -> date | None:
    """When to be in touch next: the last contact plus the cadence; someone never contacted is
    due one cadence after they were added (not immediately: adding 300 people must not make
    300 people overdue at once). No cadence, no due date."""
    if not cadence_days:
        return None
    start = last_contact_on or created_on
    return start + timedelta(days=cadence_days)


def overdue_days(*, next_due_on: date | None, today: date) -> int:
    """Days past due (0 if not yet due or never due)."""
    if next_due_on is None or next_due_on >= today:
        return 0
    return (today - next_due_on).days


def overdue_ratio(*, next_due_on: date | None, cadence_days: int | None, today: date) -> float:
    """How late, relative to the rhythm: 0 on time, 1.0 = a whole cadence late."""
    if not cadence_days:
        return 0.0
    return overdue_days(next_due_on=next_due_on, today=today) / cadence_days
