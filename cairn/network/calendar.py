"""The network's events in the calendar: follow-ups still to do, and interviews.

Registered with Today's calendar registry, so `daily` never imports the network.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse

from cairn.daily.calendar import CalendarEvent, source
from cairn.network.models import Interaction, Person

LIMIT = 1000  # per kind of event; the calendar bounds its whole size too
INTERVIEW_KINDS = (Interaction.Kind.INFORMATIONAL, Interaction.Kind.JOB_INTERVIEW)


def _with_people(queryset):
    # People in the bin are left out: their names must not come back through the calendar.
    people = Person.objects.filter(deleted_at__isnull=True).order_by("pk")
    return queryset.prefetch_related(Prefetch("people", queryset=people))


def _names(interaction: Interaction) -> str:
    return ", ".join(person.full_name for person in interaction.people.all())


def _link(interaction: Interaction) -> str:
    people = list(interaction.people.all())
    if not people:
        return ""
    return reverse("network:person-detail", kwargs={"pk": people[0].pk})


@source("network")
def network_events(user, first_day: date, last_day: date) -> list[CalendarEvent]:
    """Follow-ups not yet done on the day they were planned, and interviews on their day."""
    mine = Interaction.objects.for_user(user)
    follow_ups = _with_people(
        mine.filter(follow_up_done=False, follow_up_on__range=(first_day, last_day)).order_by(
            "follow_up_on", "pk"
        )
    )[:LIMIT]
    interviews = _with_people(
        mine.filter(kind__in=INTERVIEW_KINDS, occurred_on__range=(first_day, last_day)).order_by(
            "occurred_on", "pk"
        )
    )[:LIMIT]
    events = []
    for interaction in follow_ups:
        names = _names(interaction)
        if not names:
            continue  # everyone it was with is in the bin
        events.append(
            CalendarEvent(
                uid=f"follow-up-{interaction.pk}",
                day=interaction.follow_up_on,
                summary=f"Follow up with {names}",
                description=f"About “{interaction.summary}” ({interaction.occurred_on:%-d %B %Y}).",
                url=_link(interaction),
                stamp=interaction.updated_at,
                category="Follow-up",
            )
        )
    for interaction in interviews:
        names = _names(interaction)
        kind = interaction.get_kind_display()
        events.append(
            CalendarEvent(
                uid=f"interview-{interaction.pk}",
                day=interaction.occurred_on,
                at=interaction.occurred_at,
                summary=f"{kind}{' with ' + names if names else ''}",
                description=interaction.summary,
                url=_link(interaction),
                stamp=interaction.updated_at,
                category=kind,
            )
        )
    return events
