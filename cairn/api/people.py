"""People: list with filters, create, read, change, bin and restore, merge and undo."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.api.schemas import ContactPointSchema, Mapped, RoleBrief
from cairn.core.models import get_owned_or_404
from cairn.network import selectors, services
from cairn.network.models import MergeRecord, Person
from cairn.network.services import ContactInput

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    full_name: str
    given_name: str
    family_name: str
    pronouns: str
    headline: str
    location: str
    how_met: str
    met_on: date | None
    met_at: str
    birthday_month: int | None
    birthday_day: int | None
    birthday_year: int | None
    introduced_by_id: int | None
    strength: int
    cadence_days: int | None
    do_not_contact: bool
    in_rotation: bool
    notes: str
    archived: bool
    in_bin: bool
    circles: list[str]
    fields: list[str]
    contact_points: list[ContactPointSchema]
    current_roles: list[RoleBrief]
    last_contact_on: date | None
    next_due_on: date | None
    overdue_days: int
    created_at: datetime
    updated_at: datetime


class PersonIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=200)
    given_name: str = ""
    family_name: str = ""
    pronouns: str = ""
    headline: str = ""
    location: str = ""
    how_met: str = ""
    met_on: date | None = None
    met_at: str = ""
    birthday_month: int | None = Field(None, ge=1, le=12)
    birthday_day: int | None = Field(None, ge=1, le=31, description="With birthday_month.")
    birthday_year: int | None = Field(None, ge=1, le=9999, description="When known.")
    introduced_by_id: int | None = None
    strength: int = 1
    cadence_days: int | None = None
    do_not_contact: bool = False
    in_rotation: bool = True
    notes: str = ""
    circles: list[str] = []
    fields: list[str] = []
    contact_points: list[ContactPointSchema] = []


class PersonPatch(Schema):
    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    pronouns: str | None = None
    headline: str | None = None
    location: str | None = None
    how_met: str | None = None
    met_on: date | None = None
    met_at: str | None = None
    birthday_month: int | None = Field(None, ge=1, le=12)
    birthday_day: int | None = Field(None, ge=1, le=31)
    birthday_year: int | None = Field(None, ge=1, le=9999)
    introduced_by_id: int | None = None
    strength: int | None = None
    cadence_days: int | None = None
    do_not_contact: bool | None = None
    in_rotation: bool | None = None
    notes: str | None = None
    archived: bool | None = None
    circles: list[str] | None = None
    fields: list[str] | None = None
    contact_points: list[ContactPointSchema] | None = None


class PeopleQuery(Schema):
    circle: int | None = None
    organisation: int | None = None
    field: int | None = None
    min_strength: int | None = Field(None, ge=0, le=5)
    due: str = Field("", pattern="^(|due|overdue)$")
    not_contacted_days: int | None = Field(None, ge=0)
    archived: bool = False
    in_bin: bool = False
    sort: str = Field("name", pattern="^(" + "|".join(selectors.SORTS) + ")$")


class MergeIn(Schema):
    absorbed_id: int


class MergeOut(Schema):
    id: int
    survivor_id: int
    absorbed_id: int
    undone: bool


def person_out(person: Person, today: date) -> PersonOut:
    roles = getattr(person, "current_roles", None)
    if roles is None:
        roles = [r for r in person.roles.select_related("organisation") if r.is_current]
    return PersonOut(
        id=person.pk,
        full_name=person.full_name,
        given_name=person.given_name,
        family_name=person.family_name,
        pronouns=person.pronouns,
        headline=person.headline,
        location=person.location,
        how_met=person.how_met,
        met_on=person.met_on,
        met_at=person.met_at,
        birthday_month=person.birthday_month,
        birthday_day=person.birthday_day,
        birthday_year=person.birthday_year,
        introduced_by_id=person.introduced_by_id,
        strength=person.strength,
        cadence_days=person.cadence_days,
        do_not_contact=person.do_not_contact,
        in_rotation=person.in_rotation,
        notes=person.notes,
        archived=person.archived_at is not None,
        in_bin=person.deleted_at is not None,
        circles=[circle.name for circle in person.circles.all()],
        fields=[field.name for field in person.fields.all()],
        contact_points=[
            ContactPointSchema(kind=p.kind, value=p.value, label=p.label)
            for p in person.contact_points.all()
        ],
        current_roles=[
            RoleBrief(
                id=r.pk,
                organisation_id=r.organisation_id,
                organisation=r.organisation.name,
                title=r.title,
                is_current=r.is_current,
            )
            for r in roles
        ],
        last_contact_on=person.last_contact_on,
        next_due_on=person.next_due_on,
        overdue_days=person.overdue_days(today),
        created_at=person.created_at,
        updated_at=person.updated_at,
    )


def _today(request) -> date:
    return timezone.localdate(timezone=request.user.zone)


def _contacts(items: list[ContactPointSchema]) -> list[ContactInput]:
    return [ContactInput(item.kind, item.value, item.label) for item in items]


def _person(request, person_id: int) -> Person:
    return get_owned_or_404(Person, request.user, pk=person_id)


@router.get("/people", response=list[PersonOut], summary="List people")
@paginate(LimitOffsetPagination)
def people_list(request, filters: Query[PeopleQuery]):
    today = _today(request)
    chosen = selectors.PeopleFilter(
        circle=filters.circle,
        organisation=filters.organisation,
        field=filters.field,
        min_strength=filters.min_strength,
        due=filters.due,
        not_contacted_days=filters.not_contacted_days,
        archived=filters.archived,
        in_bin=filters.in_bin,
    )
    people = selectors.people_for(request.user, filters=chosen, sort=filters.sort, today=today)
    people = people.prefetch_related("fields", "contact_points")
    return Mapped(people, lambda person: person_out(person, today))


@router.post("/people", response={201: PersonOut}, summary="Add a person")
def people_create(request, payload: PersonIn):
    data = payload.dict()
    introducer_id = data.pop("introduced_by_id")
    introducer = _person(request, introducer_id) if introducer_id else None
    person = services.person_create(
        user=request.user,
        introduced_by=introducer,
        contact_points=_contacts(payload.contact_points),
        circles=data.pop("circles"),
        fields=data.pop("fields"),
        **{k: v for k, v in data.items() if k != "contact_points"},
    )
    return Status(201, person_out(person, _today(request)))


@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def people_detail(request, person_id: int):
    return person_out(_person(request, person_id), _today(request))


@router.patch("/people/{person_id}", response=PersonOut, summary="Change a person")
def people_update(request, person_id: int, payload: PersonPatch):
    person = _person(request, person_id)
    data = payload.dict(exclude_unset=True)
    extra = {}
    if "introduced_by_id" in data:
        introducer_id = data.pop("introduced_by_id")
        extra["introduced_by"] = _person(request, introducer_id) if introducer_id else None
    if "contact_points" in data:
        data.pop("contact_points")
        extra["contact_points"] = _contacts(payload.contact_points or [])
    for name in ("circles", "fields"):
        if name in data:
            extra[name] = data.pop(name) or []
    if "archived" in data:
        services.people_archive(
            user=request.user, person_ids=[person.pk], archived=bool(data.pop("archived"))
        )
        person.refresh_from_db()
    person = services.person_update(user=request.user, person=person, **extra, **data)
    return person_out(person, _today(request))


@router.delete("/people/{person_id}", response={204: None}, summary="Move a person to the bin")
def people_delete(request, person_id: int):
    services.person_delete(user=request.user, person=_person(request, person_id))
    return Status(204, None)


@router.post(
    "/people/{person_id}/restore", response=PersonOut, summary="Bring a person back from the bin"
)
def people_restore(request, person_id: int):
    person = _person(request, person_id)
    services.person_restore(user=request.user, person=person)
    return person_out(person, _today(request))


@router.post(
    "/people/{person_id}/merge",
    response=MergeOut,
    summary="Merge another person into this one (undoable)",
)
def people_merge(request, person_id: int, payload: MergeIn):
    survivor = _person(request, person_id)
    absorbed = _person(request, payload.absorbed_id)
    record = services.person_merge(user=request.user, survivor=survivor, absorbed=absorbed)
    return MergeOut(id=record.pk, survivor_id=survivor.pk, absorbed_id=absorbed.pk, undone=False)


@router.post("/merges/{merge_id}/undo", response=MergeOut, summary="Undo a merge")
def merge_undo(request, merge_id: int):
    record = get_owned_or_404(MergeRecord, request.user, pk=merge_id)
    services.merge_undo(user=request.user, record=record)
    return MergeOut(
        id=record.pk, survivor_id=record.survivor_id, absorbed_id=record.absorbed_id, undone=True
    )
