"""Interactions: the log of conversations; logging one resets the people's cadence."""

from datetime import date, time

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.api.schemas import Mapped, PersonBrief, person_brief
from cairn.core.errors import DomainError
from cairn.core.models import get_owned_or_404
from cairn.network import services
from cairn.network.models import Interaction, Organisation, Person

router = Router(tags=["interactions"])
KINDS = "|".join(Interaction.Kind.values)
DIRECTIONS = "|".join(Interaction.Direction.values)


class InteractionOut(Schema):
    id: int
    occurred_on: date
    occurred_at: time | None
    kind: str
    direction: str
    people: list[PersonBrief]
    organisation_id: int | None
    summary: str
    notes: str
    follow_up_on: date | None
    follow_up_done: bool


class InteractionIn(Schema):
    people: list[int] = Field(..., min_length=1)
    summary: str = Field(..., min_length=1, max_length=300)
    occurred_on: date | None = None
    occurred_at: time | None = None
    kind: str = Field("message", pattern=f"^({KINDS})$")
    direction: str = Field("outgoing", pattern=f"^({DIRECTIONS})$")
    organisation_id: int | None = None
    notes: str = ""
    follow_up_on: date | None = None


class InteractionPatch(Schema):
    people: list[int] | None = None
    summary: str | None = Field(None, min_length=1, max_length=300)
    occurred_on: date | None = None
    occurred_at: time | None = None
    kind: str | None = Field(None, pattern=f"^({KINDS})$")
    direction: str | None = Field(None, pattern=f"^({DIRECTIONS})$")
    notes: str | None = None
    follow_up_on: date | None = None
    follow_up_done: bool | None = None


def interaction_out(interaction: Interaction) -> InteractionOut:
    return InteractionOut(
        id=interaction.pk,
        occurred_on=interaction.occurred_on,
        occurred_at=interaction.occurred_at,
        kind=interaction.kind,
        direction=interaction.direction,
        people=[person_brief(p) for p in interaction.people.all()],
        organisation_id=interaction.organisation_id,
        summary=interaction.summary,
        notes=interaction.notes,
        follow_up_on=interaction.follow_up_on,
        follow_up_done=interaction.follow_up_done,
    )


def _people(request, ids: list[int]) -> list[Person]:
    found = list(Person.objects.for_user(request.user).filter(pk__in=ids, deleted_at__isnull=True))
    if len(found) != len(set(ids)):
        raise DomainError("people: no such person among yours.", code="not_found", field="people")
    return found


@router.get("/interactions", response=list[InteractionOut], summary="Interactions, newest first")
@paginate(LimitOffsetPagination)
def interactions_list(request, person_id: int | None = None, since: date | None = None):
    rows = Interaction.objects.for_user(request.user).prefetch_related("people")
    if person_id is not None:
        rows = rows.filter(people=person_id)
    if since is not None:
        rows = rows.filter(occurred_on__gte=since)
    return Mapped(rows, interaction_out)


@router.post("/interactions", response={201: InteractionOut}, summary="Log an interaction")
def interactions_create(request, payload: InteractionIn):
    organisation = None
    if payload.organisation_id is not None:
        organisation = get_owned_or_404(Organisation, request.user, pk=payload.organisation_id)
    data = payload.dict(exclude={"people", "organisation_id"})
    interaction = services.interaction_log(
        user=request.user,
        people=_people(request, payload.people),
        organisation=organisation,
        **data,
    )
    return Status(201, interaction_out(interaction))


@router.get("/interactions/{interaction_id}", response=InteractionOut)
def interactions_detail(request, interaction_id: int):
    return interaction_out(get_owned_or_404(Interaction, request.user, pk=interaction_id))


@router.patch("/interactions/{interaction_id}", response=InteractionOut)
def interactions_update(request, interaction_id: int, payload: InteractionPatch):
    interaction = get_owned_or_404(Interaction, request.user, pk=interaction_id)
    changes = payload.dict(exclude_unset=True)
    people = changes.pop("people", None)
    interaction = services.interaction_update(
        user=request.user,
        interaction=interaction,
        people=_people(request, people) if people is not None else None,
        **changes,
    )
    return interaction_out(interaction)


@router.delete("/interactions/{interaction_id}", response={204: None})
def interactions_delete(request, interaction_id: int):
    interaction = get_owned_or_404(Interaction, request.user, pk=interaction_id)
    services.interaction_delete(user=request.user, interaction=interaction)
    return Status(204, None)
