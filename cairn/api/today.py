"""Today: the day's agenda with each item's reason, and done, snooze and skip on its items."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Router, Schema

from cairn.core.models import get_owned_or_404
from cairn.daily import services
from cairn.daily.models import AgendaItem

router = Router(tags=["today"])


class ItemOut(Schema):
    id: int
    key: str = Field(..., description="Stable across days, e.g. keep_in_touch:person:42.")
    kind: str
    title: str
    why: str = Field(..., description="Why this is suggested today, in plain words.")
    url: str
    state: str = Field(..., description="open, done, snoozed or skipped.")
    is_extra: bool = Field(..., description="In “more if you have time”, not the day's few.")
    is_give: bool
    person_id: int | None
    note: str
    snoozed_until: date | None
    done_at: datetime | None


class TodayOut(Schema):
    day: date
    limit: int
    items: list[ItemOut]
    more: list[ItemOut]


class DoneIn(Schema):
    note: str = Field("", max_length=300)


class SnoozeIn(Schema):
    until: date


def item_out(item: AgendaItem) -> ItemOut:
    return ItemOut(
        id=item.pk, key=item.key, kind=item.kind, title=item.title, why=item.why, url=item.url,
        state=item.state, is_extra=item.is_extra, is_give=item.is_give, person_id=item.person_id,
        note=item.note, snoozed_until=item.snoozed_until, done_at=item.done_at,
    )  # fmt: skip


@router.get("/today", response=TodayOut, summary="Today's agenda")
def today_get(request):
    """The day's few actions and the extras, each with its reason. The first call of the day
    (in the account's time zone) makes the agenda; later calls return the same one."""
    agenda = services.agenda_for_today(user=request.user, now=timezone.now())
    items = list(agenda.items.all())
    return TodayOut(
        day=agenda.day,
        limit=agenda.limit,
        items=[item_out(item) for item in items if not item.is_extra],
        more=[item_out(item) for item in items if item.is_extra],
    )


def _item(request, item_id: int) -> AgendaItem:
    return get_owned_or_404(AgendaItem, request.user, pk=item_id)


@router.post("/today/items/{item_id}/done", response=ItemOut, summary="Mark an item done")
def today_item_done(request, item_id: int, payload: DoneIn):
    """Done, with an optional one-line note; about a person, it logs the conversation."""
    item = services.item_done(user=request.user, item=_item(request, item_id), note=payload.note)
    return item_out(item)


@router.post("/today/items/{item_id}/snooze", response=ItemOut, summary="Snooze an item")
def today_item_snooze(request, item_id: int, payload: SnoozeIn):
    """Put the item away until `until` (a later day, at most a year ahead)."""
    item = _item(request, item_id)
    return item_out(services.item_snooze(user=request.user, item=item, until=payload.until))


@router.post("/today/items/{item_id}/skip", response=ItemOut, summary="Skip an item")
def today_item_skip(request, item_id: int):
    """Not today: the item leaves the list and stays away for a week if still due."""
    return item_out(services.item_skip(user=request.user, item=_item(request, item_id)))
