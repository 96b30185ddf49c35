"""Roles: who works (or worked) where."""

from datetime import date

from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.api.schemas import Mapped
from cairn.core.models import get_owned_or_404
from cairn.network import services
from cairn.network.models import Organisation, Person, Role

router = Router(tags=["roles"])


class RoleOut(Schema):
    id: int
    person_id: int
    organisation_id: int
    organisation: str
    title: str
    started_on: date | None
    ended_on: date | None
    is_current: bool


class RoleIn(Schema):
    person_id: int
    organisation_id: int | None = None
    organisation_name: str | None = None
    title: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    is_current: bool | None = None


class RolePatch(Schema):
    title: str | None = None
    started_on: date | None = None
    ended_on: date | None = None
    is_current: bool | None = None


def role_out(role: Role) -> RoleOut:
    return RoleOut(
        id=role.pk,
        person_id=role.person_id,
        organisation_id=role.organisation_id,
        organisation=role.organisation.name,
        title=role.title,
        started_on=role.started_on,
        ended_on=role.ended_on,
        is_current=role.is_current,
    )


@router.get(
    "/roles", response=list[RoleOut], summary="Roles, optionally of one person or organisation"
)
@paginate(LimitOffsetPagination)
def roles_list(request, person_id: int | None = None, organisation_id: int | None = None):
    roles = Role.objects.for_user(request.user).select_related("organisation")
    if person_id is not None:
        roles = roles.filter(person_id=person_id)
    if organisation_id is not None:
        roles = roles.filter(organisation_id=organisation_id)
    return Mapped(roles.order_by("pk"), role_out)


@router.post("/roles", response={201: RoleOut}, summary="Add a role (organisation by id or name)")
def roles_create(request, payload: RoleIn):
    person = get_owned_or_404(Person, request.user, pk=payload.person_id)
    if payload.organisation_id is not None:
        organisation = get_owned_or_404(Organisation, request.user, pk=payload.organisation_id)
    else:
        organisation = services.organisation_get_or_create(
            user=request.user, name=payload.organisation_name or ""
        )
    role = services.role_add(
        user=request.user,
        person=person,
        organisation=organisation,
        title=payload.title,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        is_current=payload.is_current,
    )
    return Status(201, role_out(role))


@router.get("/roles/{role_id}", response=RoleOut)
def roles_detail(request, role_id: int):
    return role_out(get_owned_or_404(Role, request.user, pk=role_id))


@router.patch("/roles/{role_id}", response=RoleOut)
def roles_update(request, role_id: int, payload: RolePatch):
    role = get_owned_or_404(Role, request.user, pk=role_id)
    role = services.role_update(user=request.user, role=role, **payload.dict(exclude_unset=True))
    return role_out(role)


@router.delete("/roles/{role_id}", response={204: None})
def roles_delete(request, role_id: int):
    services.role_delete(user=request.user, role=get_owned_or_404(Role, request.user, pk=role_id))
    return Status(204, None)
