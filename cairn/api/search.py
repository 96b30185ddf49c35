"""Search across everything, and "who do I know" at an organisation, in a field or a city."""

from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cairn.core import search as engine
from cairn.core.errors import DomainError
from cairn.network import selectors

router = Router(tags=["search"])


class HitOut(Schema):
    kind: str
    id: int
    title: str
    snippet: str
    url: str | None


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200)
    kind: list[str] | None = None
    limit: int = Field(20, ge=1, le=100)


class WhoQuery(Schema):
    at: str = Field("", max_length=200, description="An organisation's name (matched loosely).")
    field: str = Field("", max_length=200, description="A career field.")
    city: str = Field("", max_length=200, description="A city or region.")
    limit: int = Field(50, ge=1, le=500)


@router.get("/search", response=list[HitOut], summary="Search people, organisations, notes")
def search(request, filters: Query[SearchQuery]):
    known = {kind.name for kind in engine.kinds()}
    unknown = set(filters.kind or ()) - known
    if unknown:
        raise DomainError(
            f"kind: unknown kind {sorted(unknown)[0]!r}; one of {', '.join(sorted(known))}.",
            field="kind",
        )
    hits = engine.query(request.user, filters.q, kinds=filters.kind, limit=filters.limit)
    return [
        HitOut(
            kind=hit.kind,
            id=hit.object_id,
            title=hit.title,
            snippet="".join(segment.text for segment in hit.snippet),
            url=hit.url,
        )
        for hit in hits
    ]


@router.get("/who", response=dict[str, Any], summary="Who do I know at X, in field Y, in city Z")
def who(request, filters: Query[WhoQuery]):
    asked = [name for name in ("at", "field", "city") if getattr(filters, name).strip()]
    if len(asked) != 1:
        raise DomainError("Ask one thing at a time: at, field or city.", field="at")
    words = getattr(filters, asked[0]).strip()
    if asked[0] == "at":
        today = timezone.localdate(timezone=request.user.zone)
        result = selectors.who_knows_at(
            request.user, organisation=words, today=today, limit=filters.limit
        )
        return selectors.who_at_as_dict(result, today)
    if asked[0] == "field":
        answer = selectors.who_in_field(request.user, field=words, limit=filters.limit)
    else:
        answer = selectors.who_in_city(request.user, city=words, limit=filters.limit)
    return selectors.who_knows_as_dict(words, asked[0], answer)
