"""The network's activity for streaks, the heatmap and the reviews: conversations, favours,
people added and met, and the size of the network over time.

Each source is one grouped query on an owner-indexed column, over the dates asked for.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q

from cairn.daily.activity import local_bounds, per_local_day, register_activity, register_level
from cairn.network.models import Favour, Interaction, Person


def _per_date(queryset: Any, field: str, start: date, end: date) -> dict[date, int]:
    rows = (
        queryset.filter(**{f"{field}__gte": start, f"{field}__lte": end})
        .values(field)
        .annotate(count=Count("pk"))
        .order_by()
        .values_list(field, "count")
    )
    return dict(rows)


@register_activity("conversations", one="conversation", many="conversations", streak=True)
def conversations(user, start: date, end: date) -> dict[date, int]:
    """Interactions logged, by the day they happened."""
    return _per_date(Interaction.objects.for_user(user), "occurred_on", start, end)


@register_activity("favours_given", one="favour given", many="favours given")
def favours_given(user, start: date, end: date) -> dict[date, int]:
    favours = Favour.objects.for_user(user).filter(direction=Favour.Direction.GIVEN)
    return _per_date(favours, "occurred_on", start, end)


@register_activity("favours_received", one="favour received", many="favours received")
def favours_received(user, start: date, end: date) -> dict[date, int]:
    favours = Favour.objects.for_user(user).filter(direction=Favour.Direction.RECEIVED)
    return _per_date(favours, "occurred_on", start, end)


@register_activity("people_added", one="person added", many="people added")
def people_added(user, start: date, end: date) -> dict[date, int]:
    """People added to Cairn and still in the network (not binned, not merged away)."""
    people = Person.objects.for_user(user).filter(deleted_at__isnull=True)
    return per_local_day(people, "created_at", user, start, end)


@register_activity("people_met", one="person met", many="people met")
def people_met(user, start: date, end: date) -> dict[date, int]:
    """People by the day the user says they met (a date on the person, when known)."""
    people = Person.objects.for_user(user).filter(deleted_at__isnull=True)
    return _per_date(people, "met_on", start, end)


@register_level("network_size")
def network_size(user, days: list[date]) -> list[int]:
    """How many people were in the network at the end of each day: added by then, and not
    yet binned or merged away."""
    if not days:
        return []
    counts = {}
    for index, day in enumerate(days):
        _, end = local_bounds(user, day, day)
        there = Q(created_at__lt=end) & (Q(deleted_at__isnull=True) | Q(deleted_at__gte=end))
        counts[f"day{index}"] = Count("pk", filter=there)
    totals = Person.objects.for_user(user).aggregate(**counts)
    return [totals[f"day{index}"] for index in range(len(days))]
