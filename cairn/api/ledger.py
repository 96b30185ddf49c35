"""Favours (help given and received) and life events (news to congratulate on)."""

from datetime import date

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.api.schemas import Mapped
from cairn.core.models import get_owned_or_404
from cairn.network import services
from cairn.network.models import Favour, LifeEvent, Person

router = Router(tags=["favours and events"])
EVENT_KINDS = "|".join(LifeEvent.Kind.values)


class FavourOut(Schema):
    id: int
    person_id: int
    direction: str
    occurred_on: date
    description: str


class FavourIn(Schema):
    person_id: int
    direction: str = Field(..., pattern="^(given|received)$")
    description: str = Field(..., min_length=1, max_length=500)
    occurred_on: date | None = None


class EventOut(Schema):
    id: int
    person_id: int
    kind: str
    occurred_on: date
    note: str
    congratulated: bool


class EventIn(Schema):
    person_id: int
    kind: str = Field(..., pattern=f"^({EVENT_KINDS})$")
    occurred_on: date
    note: str = ""
    congratulated: bool = False


class EventPatch(Schema):
    kind: str | None = Field(None, pattern=f"^({EVENT_KINDS})$")
    occurred_on: date | None = None
    note: str | None = None
    congratulated: bool | None = None


def favour_out(favour: Favour) -> FavourOut:
    return FavourOut(
        id=favour.pk,
        person_id=favour.person_id,
        direction=favour.direction,
        occurred_on=favour.occurred_on,
        description=favour.description,
    )


def event_out(event: LifeEvent) -> EventOut:
    return EventOut(
        id=event.pk,
        person_id=event.person_id,
        kind=event.kind,
        occurred_on=event.occurred_on,
        note=event.note,
        congratulated=event.congratulated,
    )


@router.get("/favours", response=list[FavourOut], summary="The reciprocity ledger")
@paginate(LimitOffsetPagination)
def favours_list(request, person_id: int | None = None):
    rows = Favour.objects.for_user(request.user)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return Mapped(rows, favour_out)


@router.post("/favours", response={201: FavourOut}, summary="Record help given or received")
def favours_create(request, payload: FavourIn):
    person = get_owned_or_404(Person, request.user, pk=payload.person_id)
    favour = services.favour_add(
        user=request.user,
        person=person,
        direction=payload.direction,
        description=payload.description,
        occurred_on=payload.occurred_on,
    )
    return Status(201, favour_out(favour))


@router.get("/favours/{favour_id}", response=FavourOut)
def favours_detail(request, favour_id: int):
    return favour_out(get_owned_or_404(Favour, request.user, pk=favour_id))


@router.delete("/favours/{favour_id}", response={204: None})
def favours_delete(request, favour_id: int):
    favour = get_owned_or_404(Favour, request.user, pk=favour_id)
    services.favour_delete(user=request.user, favour=favour)
    return Status(204, None)


@router.get("/events", response=list[EventOut], summary="Life events")
@paginate(LimitOffsetPagination)
def events_list(request, person_id: int | None = None, congratulated: bool | None = None):
    rows = LifeEvent.objects.for_user(request.user)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if congratulated is not None:
        rows = rows.filter(congratulated=congratulated)
    return Mapped(rows, event_out)


@router.post("/events", response={201: EventOut}, summary="Record a person's news")
def events_create(request, payload: EventIn):
    person = get_owned_or_404(Person, request.user, pk=payload.person_id)
    event = services.life_event_add(
        user=request.user,
        person=person,
        kind=payload.kind,
        occurred_on=payload.occurred_on,
        note=payload.note,
        congratulated=payload.congratulated,
    )
    return Status(201, event_out(event))


@router.get("/events/{event_id}", response=EventOut)
def events_detail(request, event_id: int):
    return event_out(get_owned_or_404(LifeEvent, request.user, pk=event_id))


@router.patch("/events/{event_id}", response=EventOut)
def events_update(request, event_id: int, payload: EventPatch):
    event = get_owned_or_404(LifeEvent, request.user, pk=event_id)
    changes = payload.dict(exclude_unset=True)
    return event_out(services.life_event_update(user=request.user, event=event, **changes))


@router.delete("/events/{event_id}", response={204: None})
def events_delete(request, event_id: int):
    event = get_owned_or_404(LifeEvent, request.user, pk=event_id)
    services.life_event_delete(user=request.user, event=event)
    return Status(204, None)
