"""Organisations: list, create, read, change, delete."""

from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.api.schemas import Mapped
from cairn.core.models import get_owned_or_404
from cairn.network import selectors, services
from cairn.network.models import Organisation

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    domain: str
    industry: str
    location: str
    size: str
    notes: str
    is_target: bool
    current_people: int | None = None


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    domain: str = ""
    industry: str = ""
    location: str = ""
    size: str = ""
    notes: str = ""
    is_target: bool = False


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    domain: str | None = None
    industry: str | None = None
    location: str | None = None
    size: str | None = None
    notes: str | None = None
    is_target: bool | None = None


def organisation_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=organisation.pk,
        name=organisation.name,
        domain=organisation.domain,
        industry=organisation.industry,
        location=organisation.location,
        size=organisation.size,
        notes=organisation.notes,
        is_target=organisation.is_target,
        current_people=getattr(organisation, "current_people", None),
    )


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate(LimitOffsetPagination)
def organisations_list(request, targets_only: bool = False):
    rows = selectors.organisations_for(request.user, targets_only=targets_only)
    return Mapped(rows, organisation_out)


@router.post("/organisations", response={201: OrganisationOut}, summary="Add an organisation")
def organisations_create(request, payload: OrganisationIn):
    organisation = services.organisation_create(user=request.user, **payload.dict())
    return Status(201, organisation_out(organisation))


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def organisations_detail(request, organisation_id: int):
    return organisation_out(get_owned_or_404(Organisation, request.user, pk=organisation_id))


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
def organisations_update(request, organisation_id: int, payload: OrganisationPatch):
    organisation = get_owned_or_404(Organisation, request.user, pk=organisation_id)
    changes = payload.dict(exclude_unset=True)
    organisation = services.organisation_update(
        user=request.user, organisation=organisation, **changes
    )
    return organisation_out(organisation)


@router.delete("/organisations/{organisation_id}", response={204: None})
def organisations_delete(request, organisation_id: int):
    organisation = get_owned_or_404(Organisation, request.user, pk=organisation_id)
    services.organisation_delete(user=request.user, organisation=organisation)
    return Status(204, None)
