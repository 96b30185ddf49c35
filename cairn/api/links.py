"""Links: person knows person, as stated by the user (second-degree paths go through them)."""

from django.db.models import Q
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from cairn.api.schemas import Mapped
from cairn.core.models import get_owned_or_404
from cairn.network import services
from cairn.network.models import Link, Person

router = Router(tags=["links"])
LINK_KINDS = "|".join(Link.Kind.values)


class LinkOut(Schema):
    id: int
    from_person_id: int
    to_person_id: int
    kind: str
    note: str


class LinkIn(Schema):
    from_person_id: int
    to_person_id: int
    kind: str = Field("other", pattern=f"^({LINK_KINDS})$")
    note: str = Field("", max_length=300)


def link_out(link: Link) -> LinkOut:
    return LinkOut(
        id=link.pk,
        from_person_id=link.from_person_id,
        to_person_id=link.to_person_id,
        kind=link.kind,
        note=link.note,
    )


@router.get("/links", response=list[LinkOut], summary="Who knows whom")
@paginate(LimitOffsetPagination)
def links_list(request, person_id: int | None = None):
    """Every stated link, or those of one person (either way round)."""
    rows = Link.objects.for_user(request.user).order_by("pk")
    if person_id is not None:
        rows = rows.filter(Q(from_person_id=person_id) | Q(to_person_id=person_id))
    return Mapped(rows, link_out)


@router.post("/links", response={201: LinkOut}, summary="State that two people know each other")
def links_create(request, payload: LinkIn):
    from_person = get_owned_or_404(Person, request.user, pk=payload.from_person_id)
    to_person = get_owned_or_404(Person, request.user, pk=payload.to_person_id)
    link = services.link_add(
        user=request.user,
        from_person=from_person,
        to_person=to_person,
        kind=payload.kind,
        note=payload.note.strip(),
    )
    return Status(201, link_out(link))


@router.get("/links/{link_id}", response=LinkOut)
def links_detail(request, link_id: int):
    return link_out(get_owned_or_404(Link, request.user, pk=link_id))


@router.delete("/links/{link_id}", response={204: None})
def links_delete(request, link_id: int):
    link = get_owned_or_404(Link, request.user, pk=link_id)
    services.link_delete(user=request.user, link=link)
    return Status(204, None)
