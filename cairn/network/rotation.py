"""The yearly rotation (pure): a few people a week, so that a year touches everyone.

The order is fixed for the week in which it is asked, so a batch never reshuffles while you
work through it: "family_name" cycles through the alphabet; "least_recent" takes the people
with the oldest last contact as it stood on the Monday the week began.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Member:
    id: int
    sort_name: str
    last_contact_on: date | None


@dataclass(frozen=True)
class Progress:
    members: int
    contacted: int
    weeks_per_cycle: int
    week_in_cycle: int

    @property
    def percent(self) -> int:
        return round(100 * self.contacted / self.members) if self.members else 0


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_index(*, started_on: date, today: date) -> int:
    """Whole weeks since the rotation began (0 in the first week)."""
    return max(0, (monday(today) - monday(started_on)).days // 7)


def weekly_batch(
    members: Sequence[Member], *, quota: int, order: str, started_on: date, today: date
) -> list[int]:
    """The ids to reach this week."""
    if not members or quota <= 0:
        return []
    quota = min(quota, len(members))
    if order == "least_recent":
        week_began = monday(today)

        def staleness(member: Member) -> tuple:
            # Contacts made during this week do not reshuffle it.
            last = member.last_contact_on
            known = last if last is not None and last < week_began else None
            return (known is not None, known or date.min, member.sort_name, member.id)

        return [member.id for member in sorted(members, key=staleness)[:quota]]
    ordered = sorted(members, key=lambda member: (member.sort_name, member.id))
    start = (week_index(started_on=started_on, today=today) * quota) % len(ordered)
    return [ordered[(start + offset) % len(ordered)].id for offset in range(quota)]


def progress(members: Sequence[Member], *, quota: int, started_on: date, today: date) -> Progress:
    """How far through the current cycle (one pass over everyone) the user is."""
    count = len(members)
    weeks = max(1, math.ceil(count / quota)) if quota > 0 else 1
    index = week_index(started_on=started_on, today=today)
    cycle_began = monday(started_on) + timedelta(weeks=(index // weeks) * weeks)
    contacted = sum(
        1 for member in members if member.last_contact_on and member.last_contact_on >= cycle_began
    )
    return Progress(
        members=count, contacted=contacted, weeks_per_cycle=weeks, week_in_cycle=index % weeks + 1
    )
