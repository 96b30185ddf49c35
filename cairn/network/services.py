"""Network use cases. Every write to people, organisations and interactions goes through here,
so derived dates and the search index stay right whichever adapter (web, API, CLI) called."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cairn.core.errors import DomainError, full_clean_or_raise
from cairn.network import cadence, contacts, matching, quickadd, search, selectors
from cairn.network.models import (
    CareerField,
    Circle,
    ContactPoint,
    Favour,
    Interaction,
    LifeEvent,
    Link,
    MergeRecord,
    Organisation,
    Person,
    Role,
)
from cairn.network.names import sort_key, split_name

BIN_DAYS = 30
UNCHANGED: Any = object()  # an argument not given, where None means "clear it"

PERSON_FIELDS = (
    "full_name", "given_name", "family_name", "pronouns", "headline", "location", "how_met",
    "met_on", "met_at", "strength", "cadence_days", "do_not_contact", "in_rotation", "notes",
    "birthday_month", "birthday_day", "birthday_year",
)  # fmt: skip


def _today(user) -> date:
    return timezone.localdate(timezone=user.zone)


def _not_future(value: date | None, *, field: str, today: date) -> None:
    if value is not None and value > today + timedelta(days=1):
        raise DomainError(f"{field}: {value.isoformat()} is in the future.", field=field)


# ---------------------------------------------------------------- circles and fields


def circles_get_or_create(*, user, names: Iterable[str]) -> list[Circle]:
    """Circles by name (case kept from the first use), created when new."""
    return _named_get_or_create(Circle, user, names)


def fields_get_or_create(*, user, names: Iterable[str]) -> list[CareerField]:
    return _named_get_or_create(CareerField, user, names)


def _named_get_or_create(model, user, names: Iterable[str]) -> list:
    wanted: list[str] = []
    for name in names:
        name = " ".join(name.split())[:80]
        if name and name.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(name)
    existing = {row.name.casefold(): row for row in model.objects.for_user(user)}
    result = []
    for name in wanted:
        row = existing.get(name.casefold())
        if row is None:
            row = model.objects.create(owner=user, name=name)
            existing[name.casefold()] = row
        result.append(row)
    return result


# ---------------------------------------------------------------- organisations


def organisation_get_or_create(*, user, name: str) -> Organisation:
    """The organisation of that name (any case), created when new."""
    name = " ".join(name.split())
    if not name:
        raise DomainError("organisation: a name is needed.", field="organisation")
    found = Organisation.objects.for_user(user).filter(name__iexact=name).first()
    if found:
        return found
    return organisation_create(user=user, name=name)


def organisation_create(*, user, **values: Any) -> Organisation:
    organisation = Organisation(owner=user, **values)
    organisation.name = " ".join(organisation.name.split())
    organisation.domain = organisation.domain.strip().lower().removeprefix("www.")
    full_clean_or_raise(organisation, exclude=["owner"])
    organisation.save()
    search.sync_organisations(user, [organisation.pk])
    return organisation


def organisation_update(*, user, organisation: Organisation, **values: Any) -> Organisation:
    _check_owner(user, organisation)
    for key, value in values.items():
        setattr(organisation, key, value)
    organisation.domain = organisation.domain.strip().lower().removeprefix("www.")
    try:
        full_clean_or_raise(organisation, exclude=["owner"])
    except DomainError:
        organisation.refresh_from_db()
        raise
    organisation.save()
    search.sync_organisations(user, [organisation.pk])
    # People are found by where they work: their search text changes too.
    search.sync_people(user, list(organisation.roles.values_list("person_id", flat=True)))
    return organisation


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class ContactInput:
    kind: str
    value: str
    label: str = ""


def _validate_introducer(person: Person, introducer: Person | None) -> None:
    """No one introduces themselves, not even through a chain (A by B by A)."""
    seen = {person.pk} if person.pk else set()
    current = introducer
    while current is not None:
        if current.pk in seen or current is person:
            raise DomainError(
                "introduced_by: that would make an introduction loop "
                f"({current.full_name} would introduce themselves).",
                field="introduced_by",
            )
        seen.add(current.pk)
        current = current.introduced_by


def _apply_person(person: Person, values: dict[str, Any], *, today: date) -> None:
    for key, value in values.items():
        if key not in PERSON_FIELDS:
            raise DomainError(f"{key}: not a field of a person.", field=key)
        setattr(person, key, value.strip() if isinstance(value, str) else value)
    person.full_name = " ".join(person.full_name.split())
    if not person.full_name:
        raise DomainError("full_name: a name is needed.", field="full_name")
    if not person.given_name and not person.family_name:
        person.given_name, person.family_name = split_name(person.full_name)
    person.sort_name = sort_key(
        full_name=person.full_name, given_name=person.given_name, family_name=person.family_name
    )[:200]
    _not_future(person.met_on, field="met_on", today=today)
    if person.cadence_days is not None and person.cadence_days <= 0:
        raise DomainError(
            "cadence_days: the rhythm must be at least one day.", field="cadence_days"
        )


def _contact_rows(user, person: Person, items: Sequence[ContactInput], region: str | None):
    rows = []
    for item in items:
        if not item.value.strip():
            continue
        try:
            normalized = contacts.normalize(item.kind, item.value, region=region)
        except ValidationError as error:
            field = {"email": "emails", "phone": "phones", "link": "links"}[item.kind]
            raise DomainError(
                f"{field}: {item.value!r}: {' '.join(error.messages)}", field=field
            ) from None
        value = contacts.format_phone(normalized) if item.kind == "phone" else item.value.strip()
        rows.append(
            ContactPoint(
                owner=user, person=person, kind=item.kind, value=value[:500],
                normalized=normalized[:500], label=item.label[:40],
            )
        )  # fmt: skip
    return rows


@transaction.atomic
def person_create(
    *,
    user,
    full_name: str,
    contact_points: Sequence[ContactInput] = (),
    circles: Iterable[str] = (),
    fields: Iterable[str] = (),
    introduced_by: Person | None = None,
    region: str | None = None,
    today: date | None = None,
    **values: Any,
) -> Person:
    """Create a person with their contact points, circles and fields."""
    today = today or _today(user)
    person = Person(owner=user)
    _apply_person(person, {"full_name": full_name, **values}, today=today)
    if introduced_by is not None:
        _check_owner(user, introduced_by)
        _check_live("introduced_by", introduced_by)
        person.introduced_by = introduced_by
    full_clean_or_raise(person, exclude=["owner", "introduced_by", "sort_name"])
    rows = _contact_rows(user, person, contact_points, region)
    person.save()
    person.next_due_on = cadence.next_due(
        last_contact_on=None, cadence_days=person.cadence_days, created_on=today
    )
    person.save(update_fields=["next_due_on"])
    ContactPoint.objects.bulk_create(rows)
    if circles:
        person.circles.set(circles_get_or_create(user=user, names=circles))
    if fields:
        person.fields.set(fields_get_or_create(user=user, names=fields))
    search.sync_people(user, [person.pk])
    return person


@transaction.atomic
def person_update(
    *,
    user,
    person: Person,
    contact_points: Sequence[ContactInput] | None = None,
    circles: Iterable[str] | None = None,
    fields: Iterable[str] | None = None,
    introduced_by: Any = UNCHANGED,
    region: str | None = None,
    today: date | None = None,
    **values: Any,
) -> Person:
    """Change a person; lists given replace the old ones, lists omitted are left alone."""
    _check_owner(user, person)
    today = today or _today(user)
    try:
        _apply_person(person, values, today=today)
        if introduced_by is not UNCHANGED:
            if introduced_by is not None:
                _check_owner(user, introduced_by)
                _check_live("introduced_by", introduced_by)
                _validate_introducer(person, introduced_by)
            person.introduced_by = introduced_by
        full_clean_or_raise(person, exclude=["owner", "introduced_by", "sort_name"])
    except DomainError:
        person.refresh_from_db()  # a refused change leaves the caller's object as stored
        raise
    person.save()
    if contact_points is not None:
        rows = _contact_rows(user, person, contact_points, region)
        person.contact_points.all().delete()
        ContactPoint.objects.bulk_create(rows)
    if circles is not None:
        person.circles.set(circles_get_or_create(user=user, names=circles))
    if fields is not None:
        person.fields.set(fields_get_or_create(user=user, names=fields))
    if "cadence_days" in values:
        contact_dates_refresh(user=user, person_ids=[person.pk], today=today)
    search.sync_people(user, [person.pk])
    return person


def _check_owner(user, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.owner_id != user.pk:
            raise DomainError("No such record.", code="not_found")


def _check_live(field: str, *people: Person) -> None:
    """People in the bin take part in nothing until they are restored."""
    for person in people:
        if person is not None and person.deleted_at is not None:
            raise DomainError(
                f"{field}: {person.full_name} is in the bin; restore them first.", field=field
            )


def contact_dates_refresh(*, user, person_ids: Iterable[int], today: date | None = None) -> None:
    """Recompute last contact and next due for these people from their interactions."""
    ids = list(set(person_ids))
    if not ids:
        return
    latest = dict(
        Interaction.people.through.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(last=Max("interaction__occurred_on"))
        .values_list("person_id", "last")  # type: ignore[misc]  # an annotation, not a field
    )
    people = list(Person.objects.for_user(user).filter(pk__in=ids))
    for person in people:
        person.last_contact_on = latest.get(person.pk)
        person.next_due_on = cadence.next_due(
            last_contact_on=person.last_contact_on,
            cadence_days=person.cadence_days,
            created_on=timezone.localdate(person.created_at, timezone=user.zone),
        )
    Person.objects.bulk_update(people, ["last_contact_on", "next_due_on"], batch_size=500)


def people_archive(*, user, person_ids: Iterable[int], archived: bool = True) -> int:
    """Archive (or bring back) several people; returns how many changed."""
    now = timezone.now() if archived else None
    ids = list(
        Person.objects.for_user(user).filter(pk__in=list(person_ids)).values_list("pk", flat=True)
    )
    changed = Person.objects.filter(pk__in=ids).update(archived_at=now)
    search.sync_people(user, ids)
    return changed


def people_tag(*, user, person_ids: Iterable[int], circle: str) -> int:
    """Add a circle to several people at once."""
    (row,) = circles_get_or_create(user=user, names=[circle])
    people = list(Person.objects.for_user(user).filter(pk__in=list(person_ids)))
    row.people.add(*people)
    search.sync_people(user, [person.pk for person in people])
    return len(people)


def person_delete(*, user, person: Person, now: datetime | None = None) -> None:
    """Move a person to the bin: hidden everywhere, restorable for BIN_DAYS, then purged."""
    _check_owner(user, person)
    person.deleted_at = now or timezone.now()
    person.save(update_fields=["deleted_at"])
    search.remove(user, "person", [person.pk])


def person_restore(*, user, person: Person) -> None:
    _check_owner(user, person)
    person.deleted_at = None
    person.save(update_fields=["deleted_at"])
    search.sync_people(user, [person.pk])


def bin_purge(*, now: datetime) -> int:
    """Delete for good the people who have been in the bin longer than BIN_DAYS."""
    old = Person.objects.filter(deleted_at__lt=now - timedelta(days=BIN_DAYS))
    return old.delete()[0]


# ---------------------------------------------------------------- roles, links, ledger


def role_add(
    *,
    user,
    person: Person,
    organisation: Organisation,
    title: str = "",
    started_on: date | None = None,
    ended_on: date | None = None,
    is_current: bool | None = None,
) -> Role:
    """Record that a person holds (or held) a role at an organisation."""
    _check_owner(user, person, organisation)
    if is_current is None:
        is_current = ended_on is None
    if started_on and ended_on and ended_on < started_on:
        raise DomainError("ended_on: a role cannot end before it starts.", field="ended_on")
    role = Role(
        owner=user, person=person, organisation=organisation, title=title.strip(),
        started_on=started_on, ended_on=ended_on, is_current=is_current,
    )  # fmt: skip
    full_clean_or_raise(role, exclude=["owner", "person", "organisation"])
    role.save()
    search.sync_people(user, [person.pk])
    return role


def role_update(*, user, role: Role, **values: Any) -> Role:
    _check_owner(user, role)
    for key, value in values.items():
        setattr(role, key, value)
    if role.started_on and role.ended_on and role.ended_on < role.started_on:
        raise DomainError("ended_on: a role cannot end before it starts.", field="ended_on")
    full_clean_or_raise(role, exclude=["owner", "person", "organisation"])
    role.save()
    search.sync_people(user, [role.person_id])
    return role


def role_delete(*, user, role: Role) -> None:
    _check_owner(user, role)
    person_id = role.person_id
    role.delete()
    search.sync_people(user, [person_id])


def link_add(
    *, user, from_person: Person, to_person: Person, kind: str = "other", note: str = ""
) -> Link:
    """State that two people know each other."""
    _check_owner(user, from_person, to_person)
    _check_live("from_person", from_person)
    _check_live("to_person", to_person)
    if from_person.pk == to_person.pk:
        raise DomainError("to_person: a person cannot be linked to themselves.", field="to_person")
    link, _ = Link.objects.get_or_create(
        owner=user, from_person=from_person, to_person=to_person, kind=kind,
        defaults={"note": note[:300]},
    )  # fmt: skip
    return link


def favour_add(
    *, user, person: Person, direction: str, description: str, occurred_on: date | None = None
) -> Favour:
    """Record help given or received."""
    _check_owner(user, person)
    today = _today(user)
    occurred_on = occurred_on or today
    _not_future(occurred_on, field="occurred_on", today=today)
    favour = Favour(
        owner=user, person=person, direction=direction, description=description.strip(),
        occurred_on=occurred_on,
    )  # fmt: skip
    full_clean_or_raise(favour, exclude=["owner", "person"])
    favour.save()
    return favour


def life_event_add(
    *,
    user,
    person: Person,
    kind: str,
    occurred_on: date,
    note: str = "",
    congratulated: bool = False,
) -> LifeEvent:
    """Record a person's news (a birthday may be ahead; other news cannot be)."""
    _check_owner(user, person)
    if kind != LifeEvent.Kind.BIRTHDAY:
        _not_future(occurred_on, field="occurred_on", today=_today(user))
    event = LifeEvent(
        owner=user, person=person, kind=kind, occurred_on=occurred_on, note=note.strip(),
        congratulated=congratulated,
    )  # fmt: skip
    full_clean_or_raise(event, exclude=["owner", "person"])
    event.save()
    return event


def life_event_congratulate(*, user, event: LifeEvent) -> LifeEvent:
    _check_owner(user, event)
    event.congratulated = True
    event.save(update_fields=["congratulated", "updated_at"])
    return event


# ---------------------------------------------------------------- interactions


@transaction.atomic
def interaction_log(
    *,
    user,
    people: Sequence[Person],
    summary: str,
    occurred_on: date | None = None,
    occurred_at: time | None = None,
    kind: str = Interaction.Kind.MESSAGE,
    direction: str = Interaction.Direction.OUTGOING,
    organisation: Organisation | None = None,
    notes: str = "",
    follow_up_on: date | None = None,
    today: date | None = None,
) -> Interaction:
    """Log an interaction with one or more people; it resets their keep-in-touch clock."""
    if not people:
        raise DomainError("people: an interaction needs at least one person.", field="people")
    _check_owner(user, *people, organisation)
    _check_live("people", *people)
    today = today or _today(user)
    occurred_on = occurred_on or today
    _not_future(occurred_on, field="occurred_on", today=today)
    interaction = Interaction(
        owner=user, occurred_on=occurred_on, occurred_at=occurred_at, kind=kind,
        direction=direction, organisation=organisation, summary=" ".join(summary.split()),
        notes=notes, follow_up_on=follow_up_on,
    )  # fmt: skip
    full_clean_or_raise(interaction, exclude=["owner", "organisation"])
    interaction.save()
    interaction.people.set(people)
    contact_dates_refresh(user=user, person_ids=[p.pk for p in people], today=today)
    search.sync_interactions(user, [interaction.pk])
    return interaction


@transaction.atomic
def interaction_update(
    *, user, interaction: Interaction, people: Sequence[Person] | None = None, **values: Any
) -> Interaction:
    _check_owner(user, interaction)
    before = set(interaction.people.values_list("pk", flat=True))
    for key, value in values.items():
        setattr(interaction, key, value)
    _not_future(interaction.occurred_on, field="occurred_on", today=_today(user))
    full_clean_or_raise(interaction, exclude=["owner", "organisation"])
    interaction.save()
    if people is not None:
        if not people:
            raise DomainError("people: an interaction needs at least one person.", field="people")
        _check_owner(user, *people)
        _check_live("people", *people)
        interaction.people.set(people)
    after = set(interaction.people.values_list("pk", flat=True))
    contact_dates_refresh(user=user, person_ids=before | after)
    search.sync_interactions(user, [interaction.pk])
    return interaction


@transaction.atomic
def interaction_delete(*, user, interaction: Interaction) -> None:
    _check_owner(user, interaction)
    people = list(interaction.people.values_list("pk", flat=True))
    pk = interaction.pk
    interaction.delete()
    contact_dates_refresh(user=user, person_ids=people)
    search.remove(user, "interaction", [pk])


def follow_up_done(*, user, interaction: Interaction, done: bool = True) -> Interaction:
    _check_owner(user, interaction)
    interaction.follow_up_done = done
    interaction.save(update_fields=["follow_up_done", "updated_at"])
    return interaction


def favour_delete(*, user, favour: Favour) -> None:
    _check_owner(user, favour)
    favour.delete()


def life_event_update(*, user, event: LifeEvent, **values: Any) -> LifeEvent:
    _check_owner(user, event)
    for key, value in values.items():
        setattr(event, key, value)
    if event.kind != LifeEvent.Kind.BIRTHDAY:
        _not_future(event.occurred_on, field="occurred_on", today=_today(user))
    full_clean_or_raise(event, exclude=["owner", "person"])
    event.save()
    return event


def life_event_delete(*, user, event: LifeEvent) -> None:
    _check_owner(user, event)
    event.delete()


def link_delete(*, user, link: Link) -> None:
    _check_owner(user, link)
    link.delete()


@transaction.atomic
def organisation_delete(*, user, organisation: Organisation) -> None:
    """Delete an organisation and the roles held there (people stay)."""
    _check_owner(user, organisation)
    people = list(organisation.roles.values_list("person_id", flat=True))
    pk = organisation.pk
    organisation.delete()
    search.remove(user, "organisation", [pk])
    search.sync_people(user, people)


# ---------------------------------------------------------------- merge


def _person_snapshot(person: Person) -> dict[str, Any]:
    data = {name: getattr(person, name) for name in PERSON_FIELDS}
    data["met_on"] = person.met_on.isoformat() if person.met_on else None
    data["introduced_by_id"] = person.introduced_by_id
    return data


@transaction.atomic
def person_merge(*, user, survivor: Person, absorbed: Person) -> MergeRecord:
    """Fold `absorbed` into `survivor`: every row moves, empty fields are filled, nothing is
    lost, and the returned record undoes it."""
    _check_owner(user, survivor, absorbed)
    if survivor.pk == absorbed.pk:
        raise DomainError("Choose two different people to merge.", field="absorbed")
    if absorbed.deleted_at is not None:
        raise DomainError("That person is in the bin; restore them first.", field="absorbed")
    before = _person_snapshot(survivor)
    moves: list[dict[str, Any]] = []

    def move(model, field: str, rows) -> None:
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            moves.append({"model": model._meta.label_lower, "field": field, "ids": ids})
            model.objects.filter(pk__in=ids).update(**{field: survivor})

    move(ContactPoint, "person", absorbed.contact_points.all())
    move(Role, "person", absorbed.roles.all())
    move(Favour, "person", absorbed.favours.all())
    move(LifeEvent, "person", absorbed.life_events.all())
    move(
        Person,
        "introduced_by",
        Person.objects.filter(introduced_by=absorbed).exclude(pk=survivor.pk),
    )
    move(Link, "from_person", absorbed.links_out.exclude(to_person=survivor))
    move(Link, "to_person", absorbed.links_in.exclude(from_person=survivor))
    through = Interaction.people.through
    shared = set(through.objects.filter(person=survivor).values_list("interaction_id", flat=True))
    theirs = list(through.objects.filter(person=absorbed).values_list("interaction_id", flat=True))
    added = [pk for pk in theirs if pk not in shared]
    through.objects.bulk_create([through(interaction_id=pk, person=survivor) for pk in added])
    moves.append({"model": "interaction.people", "added": added})
    circles = set(survivor.circles.values_list("pk", flat=True))
    new_circles = [pk for pk in absorbed.circles.values_list("pk", flat=True) if pk not in circles]
    survivor.circles.add(*new_circles)
    fields = set(survivor.fields.values_list("pk", flat=True))
    new_fields = [pk for pk in absorbed.fields.values_list("pk", flat=True) if pk not in fields]
    survivor.fields.add(*new_fields)
    moves.append({"model": "person.circles", "added": new_circles})
    moves.append({"model": "person.fields", "added": new_fields})

    for name in ("pronouns", "headline", "location", "how_met", "met_on", "met_at"):
        if not getattr(survivor, name) and getattr(absorbed, name):
            setattr(survivor, name, getattr(absorbed, name))
    if survivor.birthday_month is None and absorbed.birthday_month is not None:
        survivor.birthday_month, survivor.birthday_day, survivor.birthday_year = (
            absorbed.birthday_month, absorbed.birthday_day, absorbed.birthday_year
        )  # fmt: skip
    if absorbed.notes:
        survivor.notes = (survivor.notes + "\n\n" if survivor.notes else "") + absorbed.notes
    survivor.strength = max(survivor.strength, absorbed.strength)
    if survivor.introduced_by_id == absorbed.pk:
        # They were one person: who introduced the absorbed one introduced the survivor.
        survivor.introduced_by_id = (
            absorbed.introduced_by_id if absorbed.introduced_by_id != survivor.pk else None
        )
    elif survivor.introduced_by_id is None and absorbed.introduced_by_id not in (
        None,
        survivor.pk,
    ):
        survivor.introduced_by_id = absorbed.introduced_by_id
    survivor.save()
    absorbed.deleted_at = timezone.now()
    absorbed.save(update_fields=["deleted_at"])
    record = MergeRecord.objects.create(
        owner=user, survivor=survivor, absorbed=absorbed, survivor_before=before, moves=moves
    )
    contact_dates_refresh(user=user, person_ids=[survivor.pk])
    search.sync_people(user, [survivor.pk])
    search.remove(user, "person", [absorbed.pk])
    return record


@transaction.atomic
def merge_undo(*, user, record: MergeRecord) -> Person:
    """Undo a merge: moved rows go back, the survivor's own fields are restored."""
    _check_owner(user, record)
    if record.undone_at is not None:
        raise DomainError("This merge was already undone.", code="conflict")
    from django.apps import apps

    survivor, absorbed = record.survivor, record.absorbed
    through = Interaction.people.through
    for move in record.moves:
        if move["model"] == "interaction.people":
            through.objects.filter(person=survivor, interaction_id__in=move["added"]).delete()
        elif move["model"] == "person.circles":
            survivor.circles.remove(*move["added"])
        elif move["model"] == "person.fields":
            survivor.fields.remove(*move["added"])
        else:
            model = apps.get_model(move["model"])
            model.objects.filter(pk__in=move["ids"], owner=user).update(**{move["field"]: absorbed})
    before = dict(record.survivor_before)
    survivor.introduced_by_id = before.pop("introduced_by_id")
    met_on = before.pop("met_on")
    survivor.met_on = date.fromisoformat(met_on) if met_on else None
    for name, value in before.items():
        setattr(survivor, name, value)
    survivor.save()
    absorbed.deleted_at = None
    absorbed.save(update_fields=["deleted_at"])
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at"])
    contact_dates_refresh(user=user, person_ids=[survivor.pk, absorbed.pk])
    search.sync_people(user, [survivor.pk, absorbed.pk])
    return absorbed


# ---------------------------------------------------------------- quick add and duplicates
# One typed line ("Ana Ruiz, PM at Acme, met at PyCon 2024") becomes a person, an organisation,
# a role and how you met, through the services above, after a look for people already there.

QUICK_ADD_MAX_CHARS = 1000
MAX_DUPLICATES = 10


@dataclass(frozen=True)
class DuplicateCandidate:
    """Someone already in the network who may be the person being added."""

    person_id: int
    full_name: str
    score: int  # 0–100
    reason: str  # "same email ana@acme.com", "similar name, also at Acme" …


class DuplicatesFound(DomainError):
    """Quick add stopped: these people may be the one being added. Merge into one of them,
    or confirm that this is someone else."""

    def __init__(self, full_name: str, duplicates: Sequence[DuplicateCandidate]):
        listed = "; ".join(f"#{d.person_id} {d.full_name} ({d.reason})" for d in duplicates)
        super().__init__(
            f"{full_name} may already be in your network: {listed}.",
            code="duplicate",
            field="line",
        )
        self.duplicates = tuple(duplicates)


@dataclass(frozen=True)
class QuickAddPreview:
    """What a quick-add line will create, worked out without writing anything."""

    parsed: quickadd.ParsedPerson
    duplicates: tuple[DuplicateCandidate, ...]
    contact_points: tuple[ContactInput, ...]  # the valid ones, which will be stored
    organisation_id: int | None  # an existing organisation the role goes to; None: a new one
    introducer: DuplicateCandidate | None  # whom "via …" links to, when clear
    met_on: date | None  # the day you met, when a real day (not in the future) was given
    notes: str  # the parsed notes and whatever could not be stored as typed
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class QuickAddResult:
    person: Person  # the new person, or the existing one it was merged into
    created: bool
    organisation: Organisation | None
    role: Role | None
    merge: MergeRecord | None  # set when merged: undo with merge_undo
    preview: QuickAddPreview


def person_duplicates(
    *,
    user,
    name: str,
    emails: Iterable[str] = (),
    links: Iterable[str] = (),
    organisation: str = "",
    phones: Iterable[str] = (),
    index: matching.NameIndex | None = None,
) -> list[DuplicateCandidate]:
    """People who may already be this person, best first: the same email, link or phone
    (score 100), then a similar name, lifted when they work at the same organisation."""
    found: dict[int, DuplicateCandidate] = {}

    def add(pk: int, full_name: str, score: int, reason: str) -> None:
        old = found.get(pk)
        if old is not None:
            score, reason = max(score, old.score), f"{old.reason}; {reason}"
        found[pk] = DuplicateCandidate(pk, full_name, score, reason)

    for kind, values in (("email", emails), ("link", links), ("phone", phones)):
        normalized = []
        for value in values:
            try:
                normalized.append(contacts.normalize(kind, value))
            except ValidationError:
                continue
        for pk, full_name, value in selectors.contact_owners(
            user, kind=kind, normalized=normalized
        ):
            add(pk, full_name, 100, f"same {kind} {value}")
    if name.strip():
        index = index if index is not None else matching.NameIndex(
            selectors.name_candidates_for(user)
        )  # fmt: skip
        boost = matching.ORGANISATION_BOOST if organisation else 0
        threshold = matching.DUPLICATE_THRESHOLD
        matches = matching.match_name(name, index, threshold=threshold - boost, limit=50)
        if organisation and matches:
            # Organisations only for the few near misses: the boost may lift them over the line.
            where = selectors.organisation_names_for(user, [m.id for m in matches])
            close = matching.NameIndex(
                matching.Candidate(m.id, m.name, where.get(m.id, ())) for m in matches
            )
            matches = matching.match_name(name, close, organisation=organisation, limit=50)
        for match in matches:
            add(match.id, match.name, match.score, match.reason)
    ranked = sorted(found.values(), key=lambda d: (-d.score, d.full_name.casefold(), d.person_id))
    return ranked[:MAX_DUPLICATES]


def quick_add_preview(*, user, line: str, today: date | None = None) -> QuickAddPreview:
    """Read a quick-add line and find what it would create and whom it may duplicate,
    without writing anything."""
    today = today or _today(user)
    if len(line) > QUICK_ADD_MAX_CHARS:
        raise DomainError(
            f"line: at most {QUICK_ADD_MAX_CHARS:,} characters, please "
            f"(this one has {len(line):,}).",
            field="line",
        )
    parsed = quickadd.parse_person(line)
    warnings = list(parsed.warnings)
    notes = [parsed.notes] if parsed.notes else []
    points = []
    for kind, values in (
        ("email", parsed.emails),
        ("phone", parsed.phones),
        ("link", parsed.links),
    ):
        for value in values:
            try:
                contacts.normalize(kind, value)
            except ValidationError as error:
                notes.append(value)
                warnings.append(f"Kept “{value}” in the notes: {' '.join(error.messages)}")
            else:
                points.append(ContactInput(kind, value))
    met_on = parsed.met_on if isinstance(parsed.met_on, date) else None
    if met_on is not None and met_on > today:
        warnings.append(f"{met_on.isoformat()} is in the future: not kept as the day you met.")
        met_on = None
    index = matching.NameIndex(selectors.name_candidates_for(user))
    introducer = None
    if parsed.introduced_by_name:
        introducer, warning = _introducer_for(parsed.introduced_by_name, index)
        if warning:
            warnings.append(warning)
    organisation_id = None
    if parsed.organisation:
        same = matching.match_organisations(
            parsed.organisation, selectors.organisation_choices_for(user), threshold=100
        )
        organisation_id = same[0].id if same else None
    duplicates = []
    if parsed.full_name:
        duplicates = person_duplicates(
            user=user,
            name=parsed.full_name,
            emails=parsed.emails,
            links=parsed.links,
            phones=parsed.phones,
            organisation=parsed.organisation,
            index=index,
        )
    return QuickAddPreview(
        parsed=parsed,
        duplicates=tuple(duplicates),
        contact_points=tuple(points),
        organisation_id=organisation_id,
        introducer=introducer,
        met_on=met_on,
        notes="; ".join(notes),
        warnings=tuple(warnings),
    )


def _introducer_for(name: str, index: matching.NameIndex) -> tuple[DuplicateCandidate | None, str]:
    """The one person `name` clearly means, or a warning saying why nobody is linked."""
    mentions = matching.find_mentions(name, index)
    if not mentions:
        return None, (
            f"No one called “{name}” in your network: not linked as the introducer "
            "(how you met keeps the name)."
        )
    mention = max(mentions, key=lambda m: m.matches[0].score)
    chosen = mention.chosen
    if chosen is None:
        listed = ", ".join(f"#{m.id} {m.name}" for m in mention.matches)
        return None, (
            f"Several people could be “{name}” ({listed}): not linked as the introducer; "
            "choose on the person's page."
        )
    return DuplicateCandidate(chosen.id, chosen.name, chosen.score, chosen.reason), ""


@transaction.atomic
def person_quick_add(
    *,
    user,
    line: str,
    today: date | None = None,
    confirm_merge_into: int | None = None,
    allow_duplicates: bool = False,
) -> QuickAddResult:
    """Create the person a line describes, with their organisation, role and how you met.

    When people already in the network may be the same person, DuplicatesFound is raised
    unless `allow_duplicates` (someone else, add anyway) or `confirm_merge_into` (the id of
    the person this is: what the line adds is merged into them, undoably)."""
    today = today or _today(user)
    preview = quick_add_preview(user=user, line=line, today=today)
    parsed = preview.parsed
    if not parsed.full_name:
        raise DomainError(
            "line: no name found; start the line with the person's name.", field="line"
        )
    survivor = None
    if confirm_merge_into is not None:
        survivor = (
            Person.objects.for_user(user)
            .filter(pk=confirm_merge_into, deleted_at__isnull=True)
            .first()
        )
        if survivor is None:
            raise DomainError(
                f"merge_into: there is no person #{confirm_merge_into} in your network.",
                code="not_found",
                field="merge_into",
            )
    elif preview.duplicates and not allow_duplicates:
        raise DuplicatesFound(parsed.full_name, preview.duplicates)

    organisation = None
    if parsed.organisation:
        if preview.organisation_id is not None:
            organisation = Organisation.objects.for_user(user).get(pk=preview.organisation_id)
        else:
            organisation = organisation_create(user=user, name=parsed.organisation)
    introducer = None
    if preview.introducer is not None:
        introducer = Person.objects.for_user(user).get(pk=preview.introducer.person_id)
    points = list(preview.contact_points)
    if survivor is not None:
        # Only what the existing person lacks: the merge must not double their contacts.
        have = set(survivor.contact_points.values_list("kind", "normalized"))
        points = [p for p in points if (p.kind, contacts.normalize(p.kind, p.value)) not in have]
        if introducer is not None and survivor.introduced_by_id is None:
            try:
                _validate_introducer(survivor, introducer)
            except DomainError:
                introducer = None
    person = person_create(
        user=user,
        full_name=parsed.full_name,
        contact_points=points,
        introduced_by=introducer,
        today=today,
        headline="" if organisation else parsed.title,
        pronouns=parsed.pronouns,
        location=parsed.location,
        how_met=parsed.how_met[:1].upper() + parsed.how_met[1:],
        met_at=parsed.met_at,
        met_on=preview.met_on,
        notes=preview.notes,
    )
    role = None
    if organisation is not None:
        already = survivor is not None and (
            survivor.roles.filter(organisation=organisation, is_current=True)
            .filter(title__iexact=parsed.title)
            .exists()
        )
        if not already:
            role = role_add(user=user, person=person, organisation=organisation, title=parsed.title)
    if survivor is None:
        return QuickAddResult(person, True, organisation, role, None, preview)
    record = person_merge(user=user, survivor=survivor, absorbed=person)
    survivor.refresh_from_db()
    if role is not None:
        role.refresh_from_db()
    return QuickAddResult(survivor, False, organisation, role, record, preview)


# ---------------------------------------------------------------- memory jogger and rotation


@dataclass(frozen=True)
class JoggerOutcome:
    created: list[Person]
    circled: list[Person]  # already known by exactly this name: the circle was added
    possible_duplicates: list[tuple[str, DuplicateCandidate]]  # not added; add them explicitly


@transaction.atomic
def jogger_add_names(
    *,
    user,
    category: str,
    text: str,
    add_anyway: Iterable[str] = (),
    today: date | None = None,
) -> JoggerOutcome:
    """Add the names typed for one brainstorm category (one per line). Each new person gets the
    category's circle; someone already known by that exact name just gains the circle; a
    near-match is reported rather than added, unless listed in `add_anyway`."""
    from cairn.network.jogger import BY_SLUG, names_from_text
    from cairn.network.models import JoggerProgress
    from cairn.network.names import fold

    if category not in BY_SLUG:
        raise DomainError(f"category: no brainstorm category {category!r}.", field="category")
    chosen = BY_SLUG[category]
    names = names_from_text(text)
    forced = {fold(name) for name in add_anyway}
    (circle,) = circles_get_or_create(user=user, names=[chosen.circle])
    index = matching.NameIndex(selectors.name_candidates_for(user))
    existing = {
        fold(full_name): pk
        for pk, full_name in Person.objects.for_user(user)
        .filter(deleted_at__isnull=True)
        .values_list("pk", "full_name")
    }
    created: list[Person] = []
    circled: list[Person] = []
    doubtful: list[tuple[str, DuplicateCandidate]] = []
    for name in names:
        key = fold(name)
        if key in existing and key not in forced:
            known = Person.objects.for_user(user).get(pk=existing[key])
            known.circles.add(circle)
            circled.append(known)
            continue
        if key not in forced:
            near = person_duplicates(user=user, name=name, index=index)
            if near:
                doubtful.append((name, near[0]))
                continue
        person = person_create(
            user=user, full_name=name, circles=[chosen.circle], today=today,
            how_met=f"Recalled in the memory jogger: {chosen.circle.lower()}",
        )  # fmt: skip
        created.append(person)
        existing[key] = person.pk
    progress, _ = JoggerProgress.objects.get_or_create(owner=user, category=category)
    progress.names_added += len(created)
    progress.skipped = False
    progress.save()
    return JoggerOutcome(created, circled, doubtful)


def jogger_skip(*, user, category: str) -> None:
    """Mark a category as passed over; the jogger moves on and can come back to it."""
    from cairn.network.jogger import BY_SLUG
    from cairn.network.models import JoggerProgress

    if category not in BY_SLUG:
        raise DomainError(f"category: no brainstorm category {category!r}.", field="category")
    progress, _ = JoggerProgress.objects.get_or_create(owner=user, category=category)
    if not progress.names_added:
        progress.skipped = True
    progress.save()


def jogger_restart(*, user) -> None:
    """Start the brainstorm again from the first category (people already added stay)."""
    from cairn.network.models import JoggerProgress

    JoggerProgress.objects.for_user(user).delete()


def rotation_configure(
    *,
    user,
    weekly_quota: int,
    order: str,
    active: bool = True,
    members: Iterable[int] | None = None,
    today: date | None = None,
):
    """Set up (or change) the yearly rotation; `members` replaces who is in it when given."""
    from cairn.network.models import Rotation
    from cairn.network.rotation import monday

    today = today or _today(user)
    rotation = Rotation.objects.for_user(user).first() or Rotation(
        owner=user, started_on=monday(today)
    )
    rotation.weekly_quota = weekly_quota
    rotation.order = order
    rotation.active = active
    full_clean_or_raise(rotation, exclude=["owner"])
    rotation.save()
    if members is not None:
        chosen = set(members)
        people = Person.objects.for_user(user)
        people.filter(pk__in=chosen).update(in_rotation=True)
        people.exclude(pk__in=chosen).update(in_rotation=False)
    return rotation


def rotation_membership_set(
    *, user, person_ids: Iterable[int] | None = None, circle=None, included: bool
) -> int:
    """Put people (given by id, or everyone in a circle) in or out of the rotation; people
    marked do-not-contact are never put in. Returns how many rows changed."""
    people = Person.objects.for_user(user).filter(deleted_at__isnull=True)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    if circle is not None:
        _check_owner(user, circle)
        people = people.filter(circles=circle)
    if included:
        people = people.filter(do_not_contact=False)
    return people.exclude(in_rotation=included).update(in_rotation=included)
