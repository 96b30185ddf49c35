"""Network reads: lists with filters, a person's timeline, who works where."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cairn.network import whoat
from cairn.network.matching import Candidate, Match, match_labels, match_organisations
from cairn.network.models import (
    CareerField,
    Circle,
    ContactPoint,
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
        .select_related("organisation")
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


@dataclass(frozen=True)
class LinkedPerson:
    """A stated link seen from one of its two people: the other one, how, and the link."""

    link_id: int
    other: Person
    kind: str
    note: str


def person_links(user, person: Person) -> list[LinkedPerson]:
    """Whom this person knows, stated either way round; people in the bin are left out."""
    from cairn.network.models import Link

    links = (
        Link.objects.for_user(user)
        .filter(Q(from_person=person) | Q(to_person=person))
        .select_related("from_person", "to_person")
    )
    known = []
    for link in links:
        other = link.to_person if link.from_person_id == person.pk else link.from_person
        if other.deleted_at is None:
            kind = link.get_kind_display()
            if link.kind == Link.Kind.REPORTS_TO:  # the one way round that matters
                kind = "Their manager" if other is link.to_person else "Reports to them"
            known.append(LinkedPerson(link.pk, other, kind, link.note))
    return sorted(known, key=lambda k: (k.other.full_name.casefold(), k.kind, k.link_id))


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


# The survivor's fields that a merge fills in when empty, as a person would name them.
_FILLABLE = {
    "pronouns": "pronouns",
    "headline": "headline",
    "location": "location",
    "how_met": "how we met",
    "met_on": "when you met",
    "met_at": "where you met",
}


def merge_preview(user, *, survivor: Person, absorbed: Person) -> MergePreview:
    """Counts of what `person_merge` would move from `absorbed` to `survivor`."""
    through = Interaction.people.through
    shared = through.objects.filter(person=survivor).values("interaction_id")
    theirs = through.objects.filter(person=absorbed).exclude(interaction_id__in=shared)
    own_circles = survivor.circles.values("pk")
    own_fields = survivor.fields.values("pk")
    filled = [
        label
        for name, label in _FILLABLE.items()
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
        filled=filled,
    )


# ---------------------------------------------------------------- quick add, the CLI, who-at


def name_candidates_for(user) -> list[Candidate]:
    """Everyone not in the bin, as (id, name) candidates for fuzzy matching."""
    rows = (
        Person.objects.for_user(user)
        .filter(deleted_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "full_name")
    )
    return [Candidate(pk, name) for pk, name in rows]


def organisation_names_for(user, person_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """The organisations each of these people has (or had) a role at."""
    names: dict[int, list[str]] = {}
    rows = (
        Role.objects.for_user(user)
        .filter(person_id__in=list(person_ids))
        .order_by("-is_current", "pk")
        .values_list("person_id", "organisation__name")
    )
    for person_id, name in rows:
        if name not in names.setdefault(person_id, []):
            names[person_id].append(name)
    return {pk: tuple(values) for pk, values in names.items()}


def contact_owners(user, *, kind: str, normalized: Iterable[str]) -> list[tuple[int, str, str]]:
    """(person id, full name, value) of the people not in the bin who have one of these
    normalised contact values."""
    wanted = list(dict.fromkeys(normalized))
    if not wanted:
        return []
    return list(
        ContactPoint.objects.for_user(user)
        .filter(kind=kind, normalized__in=wanted, person__deleted_at__isnull=True)
        .order_by("person_id", "pk")
        .values_list("person_id", "person__full_name", "value")
    )


def organisation_choices_for(user) -> list[tuple[int, str]]:
    """(id, name) of every organisation, for fuzzy matching by name."""
    return list(Organisation.objects.for_user(user).order_by("pk").values_list("pk", "name"))


@dataclass(frozen=True)
class KnownPerson:
    """Someone you know, and why they came up (their roles there, or the field)."""

    person: Person
    roles: tuple[Role, ...] = ()
    reason: str = ""

    @property
    def is_current(self) -> bool:
        return any(role.is_current for role in self.roles)


@dataclass(frozen=True)
class WhoKnows:
    """The answer to "who do I know in field Y / in city Z": `matched` are the fields the words
    were taken to mean, `first_degree` the people. (At an organisation: `who_knows_at`.)"""

    matched: tuple[Match, ...]
    first_degree: tuple[KnownPerson, ...]


def _known_order(person: Person) -> tuple:
    return (-person.strength, -(person.last_contact_on or date.min).toordinal(), person.sort_name)


def _current_roles(person: Person) -> tuple[Role, ...]:
    return tuple(getattr(person, "current_roles", ()))  # prefetched with to_attr


def who_in_field(user, *, field: str, limit: int = 200) -> WhoKnows:
    """People tagged with the career field(s) the words fuzzily match, then people whose
    headline or current title mentions the words (what they do now, not what they did)."""
    fields = CareerField.objects.for_user(user).order_by("pk").values_list("pk", "name")
    matched = match_labels(field, fields)
    current_roles = Role.objects.filter(is_current=True).select_related("organisation")
    people = Person.objects.for_user(user).filter(deleted_at__isnull=True, archived_at__isnull=True)
    tagged = list(
        people.filter(fields__in=[m.id for m in matched])
        .distinct()
        .prefetch_related(Prefetch("roles", queryset=current_roles, to_attr="current_roles"))[
            :limit
        ]
    )
    text = " ".join(field.split())
    titled: list[Person] = []
    if text:
        titled = list(
            people.filter(
                Q(headline__icontains=text)
                | Q(roles__title__icontains=text, roles__is_current=True)
            )
            .exclude(pk__in=[p.pk for p in tagged])
            .distinct()
            .prefetch_related(Prefetch("roles", queryset=current_roles, to_attr="current_roles"))[
                : max(limit - len(tagged), 0)
            ]
        )
    names = {m.id: m.name for m in matched}
    field_of = dict(
        Person.fields.through.objects.filter(
            person_id__in=[p.pk for p in tagged], careerfield_id__in=list(names)
        ).values_list("person_id", "careerfield_id")
    )
    known = [
        KnownPerson(p, _current_roles(p), f"field: {names.get(field_of.get(p.pk, 0), field)}")
        for p in sorted(tagged, key=_known_order)
    ]
    known += [
        KnownPerson(p, _current_roles(p), f"mentions “{text}”")
        for p in sorted(titled, key=_known_order)
    ]
    return WhoKnows(tuple(matched), tuple(known))


# ---------------------------------------------------------------- memory jogger and rotation


def jogger_progress(user) -> dict[str, Any]:
    """Each category's progress and the next one to work on."""
    from cairn.network.jogger import CATEGORIES, next_category
    from cairn.network.models import JoggerProgress

    rows = {row.category: row for row in JoggerProgress.objects.for_user(user)}
    done = set(rows)
    return {
        "categories": [(category, rows.get(category.slug)) for category in CATEGORIES],
        "next": next_category(done),
        "done": len(done),
        "total": len(CATEGORIES),
        "names_added": sum(row.names_added for row in rows.values()),
    }


@dataclass(frozen=True)
class RotationWeek:
    rotation: Any
    batch: list[Person]
    progress: Any
    contacted_this_week: set[int]


def rotation_week(user, *, today: date) -> RotationWeek | None:
    """This week's rotation batch (stable all week) and progress through the cycle."""
    from cairn.network import rotation as plan
    from cairn.network.models import Rotation

    rotation = Rotation.objects.for_user(user).filter(active=True).first()
    if rotation is None:
        return None
    members = [
        plan.Member(pk, sort_name, last)
        for pk, sort_name, last in Person.objects.for_user(user)
        .filter(in_rotation=True, do_not_contact=False, archived_at__isnull=True)
        .filter(deleted_at__isnull=True)
        .values_list("pk", "sort_name", "last_contact_on")
    ]
    ids = plan.weekly_batch(
        members,
        quota=rotation.weekly_quota,
        order=rotation.order,
        started_on=rotation.started_on,
        today=today,
    )
    people = {p.pk: p for p in Person.objects.for_user(user).filter(pk__in=ids)}
    week_began = plan.monday(today)
    return RotationWeek(
        rotation=rotation,
        batch=[people[pk] for pk in ids if pk in people],
        progress=plan.progress(
            members, quota=rotation.weekly_quota, started_on=rotation.started_on, today=today
        ),
        contacted_this_week={
            pk for pk, person in people.items()
            if person.last_contact_on and person.last_contact_on >= week_began
        },
    )  # fmt: skip


# ---------------------------------------------------------------- who do I know: second degree

_SOMEONE = ("full_name", "strength", "last_contact_on", "headline", "do_not_contact")
_STINT = (
    "person_id", "organisation_id", "organisation__name", "title", "started_on", "ended_on",
    "is_current",
)  # fmt: skip
_STINT_PERSON = tuple(f"person__{name}" for name in _SOMEONE)
_REACHABLE = {"deleted_at__isnull": True, "archived_at__isnull": True}
_REACHABLE_ROLE = {"person__deleted_at__isnull": True, "person__archived_at__isnull": True}


def _stints_and_people(
    user, roles: QuerySet[Role], introducers: dict[int, int] | None = None
) -> tuple[list[whoat.Stint], dict[int, whoat.Someone]]:
    """These roles, with their people, as plain data; `introducers` (if given) is filled with
    who introduced each of those people."""
    stints, people = [], {}
    extra = ("person__introduced_by_id",) if introducers is not None else ()
    end = len(_STINT) + len(_SOMEONE)
    for owner_id, *row in roles.order_by().values_list("owner_id", *_STINT, *_STINT_PERSON, *extra):
        if owner_id != user.pk:
            continue
        stint = whoat.Stint(*row[: len(_STINT)])
        stints.append(stint)
        if stint.person_id not in people:
            people[stint.person_id] = whoat.Someone(stint.person_id, *row[len(_STINT) : end])
            if introducers is not None and row[end] is not None:
                introducers[stint.person_id] = row[end]
    return stints, people


def who_knows_at(
    user, *, organisation: str | Organisation, today: date, limit: int = 50
) -> whoat.WhoAtResult:
    """Who I know at an organisation (a name, matched loosely, or an Organisation): the people
    with a current or past role there, and up to `limit` second-degree paths to them (me → A
    → B) through stated links, introductions and colleagues inferred from overlapping roles,
    ranked as `cairn.network.whoat` explains.

    At most seven queries whatever the size of the network, each starting from the people at
    the organisation: their roles, their links and introductions, and the roles at their other
    organisations; never the whole graph. Those queries look rows up by person or
    organisation (SQLite would otherwise walk every row of the owner) and drop any row of
    another owner as they read it."""
    if isinstance(organisation, Organisation):
        query = organisation.name
        matches = []
        if organisation.owner_id == getattr(user, "pk", None):
            matches = [whoat.OrganisationMatch(organisation.pk, organisation.name, 100)]
    else:
        query = " ".join(organisation.split())
        matches = _organisations_meant(user, query)
    if not matches:
        return whoat.WhoAtResult(query)
    org_ids = {match.id for match in matches}

    # Everyone with a role there, with all their roles (where else they worked).
    there = Role.objects.filter(organisation_id__in=org_ids).order_by().values("person_id")
    introducers: dict[int, int] = {}
    stints, insiders = _stints_and_people(
        user, Role.objects.filter(person_id__in=there, **_REACHABLE_ROLE), introducers
    )
    stints_there = [s for s in stints if s.organisation_id in org_ids]
    ranked = whoat.rank_insiders(insiders, stints_there, today=today)
    if not insiders:
        return whoat.WhoAtResult(query, tuple(matches))
    targets = whoat.worth_reaching(insiders, stints_there, today=today)
    paths = _paths_to(user, targets, insiders, stints, org_ids, introducers, today, limit)
    return whoat.WhoAtResult(query, tuple(matches), tuple(ranked), tuple(paths))


def _paths_to(
    user,
    targets: list[int],
    insiders: dict[int, whoat.Someone],
    stints: list[whoat.Stint],
    org_ids: set[int],
    introducers: dict[int, int],
    today: date,
    limit: int,
) -> list[whoat.Path]:
    """Second-degree paths to `targets` (ids of people at the organisations `org_ids`)."""
    from cairn.network.models import Link

    target_set = set(targets)
    # Colleagues elsewhere: roles at the targets' other organisations that overlap theirs.
    elsewhere = [
        s for s in stints if s.person_id in target_set and s.organisation_id not in org_ids
    ]
    colleagues = _colleague_stints(user, elsewhere, set(insiders), today)
    edges = whoat.colleague_edges(elsewhere, colleagues, today=today)
    contacts: dict[int, whoat.Someone] = {}

    # Stated links, either way round.
    links = Link.objects.filter(Q(from_person_id__in=targets) | Q(to_person_id__in=targets))
    for owner_id, a, b, kind, note in links.order_by().values_list(
        "owner_id", "from_person_id", "to_person_id", "kind", "note"
    ):
        if owner_id == user.pk:
            edges.append(whoat.Edge(a, b, whoat.LINK, kind, note))

    # Introductions, either way round: whom they introduced, and who introduced them.
    introduced = Person.objects.filter(introduced_by_id__in=targets, **_REACHABLE)
    for owner_id, by, pk, *rest in introduced.order_by().values_list(
        "owner_id", "introduced_by_id", "pk", *_SOMEONE
    ):
        if owner_id == user.pk and pk not in insiders:
            contacts.setdefault(pk, whoat.Someone(pk, *rest))
            edges.append(whoat.Edge(by, pk, whoat.INTRODUCTION))
    edges += [
        whoat.Edge(by, pk, whoat.INTRODUCTION) for pk, by in introducers.items() if pk in target_set
    ]

    # The people at the other end of links and introductions, not loaded yet.
    missing = {pk for edge in edges for pk in (edge.a, edge.b)} - set(insiders) - set(contacts)
    if missing:
        rows = Person.objects.filter(pk__in=missing, **_REACHABLE).order_by()
        for owner_id, pk, *rest in rows.values_list("owner_id", "pk", *_SOMEONE):
            if owner_id == user.pk:
                contacts[pk] = whoat.Someone(pk, *rest)
    return whoat.rank_paths(
        targets={pk: insiders[pk] for pk in targets},
        target_stints=[s for s in stints if s.organisation_id in org_ids],
        contacts=contacts,
        edges=edges,
        today=today,
        limit=limit,
    )


MAX_WINDOWS = 100  # beyond, colleagues are fetched by organisation alone (a simpler query)


def _colleague_stints(
    user, stints: list[whoat.Stint], insiders: set[int], today: date
) -> list[whoat.Stint]:
    """Roles of other people that may overlap `stints` (see `whoat.colleague_windows`): only
    their dates, the people's details are loaded later for those who do overlap."""
    windows = whoat.colleague_windows(stints, today=today)
    if not windows:
        return []
    if len(windows) > MAX_WINDOWS:
        where = Q(organisation_id__in={w.organisation_id for w in windows})
    else:
        where = Q()
        for window in windows:
            if window.current_only:
                where |= Q(
                    organisation_id=window.organisation_id, is_current=True, ended_on__isnull=True
                )
            else:
                where |= (
                    Q(organisation_id=window.organisation_id)
                    & (Q(started_on__lte=window.start_by) | Q(started_on__isnull=True))
                    & (Q(ended_on__gte=window.end_from) | Q(ended_on__isnull=True))
                )
    rows = (
        Role.objects.filter(where, **_REACHABLE_ROLE)
        .order_by()
        .values_list("owner_id", "person_id", "organisation_id", "started_on", "ended_on",
                     "is_current")
    )  # fmt: skip
    return [
        whoat.Stint(person_id, organisation_id, "", "", started_on, ended_on, is_current)
        for owner_id, person_id, organisation_id, started_on, ended_on, is_current in rows
        if owner_id == user.pk and person_id not in insiders
    ]


def _organisations_meant(user, query: str) -> list[whoat.OrganisationMatch]:
    """The organisations a name means: those with that very name (any case) if any, else the
    closest few by fuzzy matching (within five points of the best, at most ten)."""
    if not query:
        return []
    same = Organisation.objects.for_user(user).filter(name__iexact=query).order_by("pk")
    exact = [whoat.OrganisationMatch(pk, name, 100) for pk, name in same.values_list("pk", "name")]
    if exact:
        return exact
    found = match_organisations(query, organisation_choices_for(user))
    if not found:
        return []
    same_name = [match for match in found if match.score == 100]
    chosen = same_name or [match for match in found if match.score >= found[0].score - 5][:10]
    return [whoat.OrganisationMatch(match.id, match.name, match.score) for match in chosen]


def who_in_city(user, *, city: str, limit: int = 200) -> WhoKnows:
    """People whose location contains `city`, ignoring case and accents ("sao paulo" finds
    São Paulo), warmest first (strength, then recent contact), with their current roles."""
    from django.db.models import F

    from cairn.network.names import fold

    wanted = fold(" ".join(city.split()))
    if not wanted:
        return WhoKnows((), ())
    # Accents cannot be ignored in SQL on every database: filter the locations here.
    located = (
        Person.objects.for_user(user)
        .filter(**_REACHABLE)
        .exclude(location="")
        .values_list("pk", "location")
    )
    ids = [pk for pk, location in located if wanted in fold(location)]
    current_roles = Role.objects.filter(is_current=True).select_related("organisation")
    people = (
        Person.objects.for_user(user)
        .filter(pk__in=ids)
        .order_by("-strength", F("last_contact_on").desc(nulls_last=True), "sort_name", "pk")
        .prefetch_related(Prefetch("roles", queryset=current_roles, to_attr="current_roles"))
    )[:limit]
    return WhoKnows(
        (), tuple(KnownPerson(p, tuple(p.current_roles), f"lives in {p.location}") for p in people)
    )


# ---------------------------------------------------------------- who do I know, as data


def _role_label(role) -> str:
    where = f"{role.title} at {role.organisation.name}" if role.title else role.organisation.name
    if role.is_current:
        return where
    return f"{where} (until {role.ended_on.year})" if role.ended_on else f"{where} (formerly)"


def known_reason(known: KnownPerson) -> str:
    """Why someone came up: their roles there, or the field they were found by."""
    parts = [_role_label(role) for role in known.roles]
    if known.reason:
        parts.append(known.reason)
    return "; ".join(parts) or "known"


def _person_ref(someone) -> dict:
    return {"id": someone.id, "full_name": someone.name}


def _stint_data(stint) -> dict:
    return {
        "organisation": {"id": stint.organisation_id, "name": stint.organisation},
        "title": stint.title,
        "current": stint.is_current,
        "started_on": stint.started_on,
        "ended_on": stint.ended_on,
    }


def who_at_as_dict(result: whoat.WhoAtResult, today: date) -> dict[str, Any]:
    """Plain data for the CLI's --json and the API: who I know at an organisation."""
    return {
        "query": result.query,
        "kind": "organisation",
        "matched": [{"id": m.id, "name": m.name, "score": m.score} for m in result.organisations],
        "first_degree": [
            {
                **_person_ref(insider.person),
                "current": insider.is_current,
                "score": round(insider.score, 4),
                "roles": [_stint_data(stint) for stint in insider.stints],
            }
            for insider in result.insiders
        ],
        "second_degree": [
            {
                "via": _person_ref(path.via),
                "target": _person_ref(path.target),
                "roles": [_stint_data(stint) for stint in path.target_stints],
                "evidence": path.evidence(),
                "inferred": path.inferred,
                "score": round(path.score, 4),
                "description": path.describe(today),
            }
            for path in result.paths
        ],
    }


def who_knows_as_dict(words: str, kind: str, answer: WhoKnows) -> dict[str, Any]:
    """Plain data for the CLI's --json and the API: who I know in a field or a city."""
    return {
        "query": words,
        "kind": kind,
        "matched": [{"id": m.id, "name": m.name, "score": m.score} for m in answer.matched],
        "first_degree": [
            {
                "id": known.person.pk,
                "full_name": known.person.full_name,
                "current": known.is_current,
                "reason": known.reason,
                "roles": [
                    {
                        "organisation": {"id": r.organisation_id, "name": r.organisation.name},
                        "title": r.title,
                        "current": r.is_current,
                        "started_on": r.started_on,
                        "ended_on": r.ended_on,
                    }
                    for r in known.roles
                ],
            }
            for known in answer.first_degree
        ],
    }
