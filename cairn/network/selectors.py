"""Network reads: lists with filters, a person's timeline, who works where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cairn.network.models import (
    CareerField,
    Circle,
    Favour,
    Interaction,
    LifeEvent,
    Organisation,
    Person,
    Role,
)

SORTS = {
    "name": ("sort_name", "pk"),
    "last_contacted": ("-last_contact_on", "sort_name"),
    "least_recent": ("last_contact_on", "sort_name"),
    "next_due": ("next_due_on", "sort_name"),
    "strength": ("-strength", "sort_name"),
    "recent": ("-created_at", "-pk"),
}


@dataclass(frozen=True)
class PeopleFilter:
    circle: int | None = None
    organisation: int | None = None
    field: int | None = None
    min_strength: int | None = None
    due: str = ""  # "", "due" (due by today) or "overdue" (past due)
    not_contacted_days: int | None = None
    archived: bool = False
    in_bin: bool = False


def people_for(
    user, *, filters: PeopleFilter = PeopleFilter(), sort: str = "name", today: date
) -> QuerySet[Person]:
    """The user's people, filtered and sorted, with what a list row shows prefetched."""
    queryset = Person.objects.for_user(user)
    queryset = queryset.filter(deleted_at__isnull=not filters.in_bin)
    if not filters.in_bin:
        queryset = queryset.filter(archived_at__isnull=not filters.archived)
    if filters.circle:
        queryset = queryset.filter(circles=filters.circle)
    if filters.field:
        queryset = queryset.filter(fields=filters.field)
    if filters.organisation:
        queryset = queryset.filter(
            pk__in=Role.objects.filter(organisation=filters.organisation).values("person_id")
        )
    if filters.min_strength is not None:
        queryset = queryset.filter(strength__gte=filters.min_strength)
    if filters.due == "due":
        queryset = queryset.filter(next_due_on__lte=today)
    elif filters.due == "overdue":
        queryset = queryset.filter(next_due_on__lt=today)
    if filters.not_contacted_days is not None:
        since = today - timedelta(days=filters.not_contacted_days)
        queryset = queryset.filter(Q(last_contact_on__lt=since) | Q(last_contact_on__isnull=True))
    current_roles = Role.objects.filter(is_current=True).select_related("organisation")
    return queryset.order_by(*SORTS.get(sort, SORTS["name"])).prefetch_related(
        Prefetch("roles", queryset=current_roles, to_attr="current_roles"), "circles"
    )


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str  # "interaction", "favour", "event", "role_start", "role_end"
    item: Any


def person_timeline(user, person: Person, *, limit: int = 200) -> list[TimelineEntry]:
    """Interactions, favours, life events and role changes, newest first."""
    entries: list[TimelineEntry] = []
    interactions = (
        Interaction.objects.for_user(user)
        .filter(people=person)
        .prefetch_related("people")
        .order_by("-occurred_on", "-pk")[:limit]
    )
    entries += [TimelineEntry(i.occurred_on, "interaction", i) for i in interactions]
    favours = Favour.objects.for_user(user).filter(person=person)[:limit]
    entries += [TimelineEntry(f.occurred_on, "favour", f) for f in favours]
    events = LifeEvent.objects.for_user(user).filter(person=person)[:limit]
    entries += [TimelineEntry(e.occurred_on, "event", e) for e in events]
    for role in Role.objects.for_user(user).filter(person=person).select_related("organisation"):
        if role.started_on:
            entries.append(TimelineEntry(role.started_on, "role_start", role))
        if role.ended_on:
            entries.append(TimelineEntry(role.ended_on, "role_end", role))
    entries.sort(key=lambda entry: (entry.on, entry.kind), reverse=True)
    return entries[:limit]


def favour_balance(user, person: Person) -> dict[str, int]:
    """How often you helped them and they helped you."""
    counts = (
        Favour.objects.for_user(user)
        .filter(person=person)
        .aggregate(
            given=Count("pk", filter=Q(direction=Favour.Direction.GIVEN)),
            received=Count("pk", filter=Q(direction=Favour.Direction.RECEIVED)),
        )
    )
    return {"given": counts["given"], "received": counts["received"]}


def introduction_chain(person: Person, *, limit: int = 20) -> list[Person]:
    """Who introduced this person, who introduced that one, and so on (nearest first)."""
    chain: list[Person] = []
    seen = {person.pk}
    current = person.introduced_by
    while current is not None and current.pk not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current.pk)
        current = current.introduced_by
    return chain


def people_introduced_by(user, person: Person) -> QuerySet[Person]:
    return Person.objects.for_user(user).filter(introduced_by=person, deleted_at__isnull=True)


def organisations_for(user, *, targets_only: bool = False) -> QuerySet[Organisation]:
    """The user's organisations with how many people currently work there."""
    queryset = Organisation.objects.for_user(user).annotate(
        current_people=Count(
            "roles",
            filter=Q(roles__is_current=True, roles__person__deleted_at__isnull=True),
            distinct=True,
        )
    )
    if targets_only:
        queryset = queryset.filter(is_target=True)
    return queryset.order_by("name", "pk")


def organisation_roles(user, organisation: Organisation) -> dict[str, list[Role]]:
    """The people at an organisation now, and those who were there before."""
    roles = (
        Role.objects.for_user(user)
        .filter(organisation=organisation, person__deleted_at__isnull=True)
        .select_related("person")
        .order_by("person__sort_name", "-started_on")
    )
    result: dict[str, list[Role]] = {"current": [], "past": []}
    for role in roles:
        result["current" if role.is_current else "past"].append(role)
    return result


# ---------------------------------------------------------------- for the web pages


def circles_for(user) -> QuerySet[Circle]:
    return Circle.objects.for_user(user).order_by("name")


def fields_for(user) -> QuerySet[CareerField]:
    return CareerField.objects.for_user(user).order_by("name")


def people_named(user, text: str, *, limit: int = 10) -> list[Person]:
    """People (not in the bin) whose name contains `text`, those starting with it first."""
    text = " ".join(text.split())
    if not text:
        return []
    queryset = Person.objects.for_user(user).filter(
        deleted_at__isnull=True, full_name__icontains=text
    )
    starting = list(queryset.filter(full_name__istartswith=text).order_by("sort_name")[:limit])
    if len(starting) < limit:
        seen = [p.pk for p in starting]
        starting += list(queryset.exclude(pk__in=seen).order_by("sort_name")[: limit - len(seen)])
    return starting


def person_by_name(user, text: str) -> list[Person]:
    """Every person (not in the bin) with exactly this name, ignoring case and spacing."""
    text = " ".join(text.split())
    if not text:
        return []
    return list(
        Person.objects.for_user(user)
        .filter(deleted_at__isnull=True, full_name__iexact=text)
        .order_by("pk")
    )


def organisations_named(user, text: str, *, limit: int = 10) -> list[Organisation]:
    """Organisations whose name contains `text`, those starting with it first."""
    text = " ".join(text.split())
    if not text:
        return []
    queryset = Organisation.objects.for_user(user).filter(name__icontains=text)
    starting = list(queryset.filter(name__istartswith=text).order_by("name")[:limit])
    if len(starting) < limit:
        seen = [o.pk for o in starting]
        starting += list(queryset.exclude(pk__in=seen).order_by("name")[: limit - len(seen)])
    return starting


def person_roles(user, person: Person) -> list[Role]:
    """A person's roles, current first, with their organisations."""
    return list(
        Role.objects.for_user(user)
        .filter(person=person)
        .select_related("organisation")
        .order_by("-is_current", "-started_on", "-pk")
    )


def organisation_interactions(
    user, organisation: Organisation, *, limit: int = 50
) -> list[Interaction]:
    """Interactions recorded with an organisation, newest first, with the people in them."""
    return list(
        Interaction.objects.for_user(user)
        .filter(organisation=organisation)
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.filter(deleted_at__isnull=True))
        )
        .order_by("-occurred_on", "-pk")[:limit]
    )


@dataclass(frozen=True)
class MergePreview:
    """What folding one person into another would move and fill in."""

    contact_points: int
    roles: int
    interactions: int
    favours: int
    life_events: int
    introduced: int
    links: int
    circles: list[str]
    fields: list[str]
    filled: list[str]  # the survivor's empty fields that the absorbed person fills


def merge_preview(user, *, survivor: Person, absorbed: Person) -> MergePreview:
    """Counts of what `person_merge` would move from `absorbed` to `survivor`."""
    through = Interaction.people.through
    shared = through.objects.filter(person=survivor).values("interaction_id")
    theirs = through.objects.filter(person=absorbed).exclude(interaction_id__in=shared)
    own_circles = survivor.circles.values("pk")
    own_fields = survivor.fields.values("pk")
    filled = [
        Person._meta.get_field(name).verbose_name
        for name in ("pronouns", "headline", "location", "how_met", "met_on", "met_at")
        if not getattr(survivor, name) and getattr(absorbed, name)
    ]
    if absorbed.notes:
        filled.append("notes (added below theirs)")
    return MergePreview(
        contact_points=absorbed.contact_points.count(),
        roles=absorbed.roles.count(),
        interactions=theirs.count(),
        favours=absorbed.favours.count(),
        life_events=absorbed.life_events.count(),
        introduced=Person.objects.for_user(user)
        .filter(introduced_by=absorbed)
        .exclude(pk=survivor.pk)
        .count(),
        links=absorbed.links_out.exclude(to_person=survivor).count()
        + absorbed.links_in.exclude(from_person=survivor).count(),
        circles=[c.name for c in absorbed.circles.exclude(pk__in=own_circles)],
        fields=[f.name for f in absorbed.fields.exclude(pk__in=own_fields)],
        filled=[str(name) for name in filled],
    )
