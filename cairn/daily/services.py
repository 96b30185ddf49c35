"""Today's use cases: make the day's agenda once, and do, snooze, skip or space out its items.

What doing an item means for the rest of Cairn (log a conversation, lengthen a cadence) is
decided by the app that suggested it, through the handlers registered in `providers`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from cairn.core.errors import DomainError
from cairn.daily import planner, providers
from cairn.daily.models import Agenda, AgendaItem, Deferral

TRANSITION_LIMIT = 5
DEFAULT_LIMIT = 3
SKIP_DAYS = 7  # a skipped item that is still due stays away for a week
DONE_QUIET_DAYS = 7  # and so does one just done, if its source still says "due"
MORE_LIMIT = 10


def local_day(user, now: datetime) -> date:
    """The date it is for `user` at `now`, in their own time zone."""
    return timezone.localdate(now, timezone=user.zone)


def daily_limit(user) -> int:
    """How many actions a day: the user's choice; people in transition start with five."""
    if user.mode == "transition" and user.daily_action_count == DEFAULT_LIMIT:
        return TRANSITION_LIMIT
    return user.daily_action_count


def _items() -> Prefetch:
    return Prefetch("items", queryset=AgendaItem.objects.order_by("is_extra", "position"))


def agenda_for_today(*, user, now: datetime) -> Agenda:
    """The agenda of the user's current day: made on the first visit, the same ever after.

    An agenda that came out empty is made again on the next visit, so that people added in
    the morning show up the same day.
    """
    day = local_day(user, now)
    agenda = Agenda.objects.for_user(user).filter(day=day).prefetch_related(_items()).first()
    if agenda is not None and agenda.items.all():
        return agenda
    return _make_agenda(user, day, agenda)


def _make_agenda(user, day: date, agenda: Agenda | None) -> Agenda:
    excluded = set(
        Deferral.objects.for_user(user).filter(until__gt=day).values_list("key", flat=True)
    )
    limit = daily_limit(user)
    plan = planner.plan(
        providers.candidates_for(user, day), limit=limit, excluded=excluded, more_limit=MORE_LIMIT
    )
    try:
        with transaction.atomic():
            if agenda is None:
                agenda = Agenda.objects.create(owner=user, day=day, limit=limit)
            rows = [
                _item(user, agenda, candidate, position, extra)
                for extra, chosen in ((False, plan.chosen), (True, plan.more))
                for position, candidate in enumerate(chosen)
            ]
            AgendaItem.objects.bulk_create(rows)
    except IntegrityError:
        pass  # another request made it first: theirs is the day's agenda
    return Agenda.objects.for_user(user).prefetch_related(_items()).get(day=day)


def _item(user, agenda: Agenda, candidate, position: int, extra: bool) -> AgendaItem:
    return AgendaItem(
        owner=user, agenda=agenda, key=candidate.key[:120], kind=candidate.kind,
        title=candidate.title[:300], why=candidate.why[:500], url=candidate.url[:300],
        position=position, is_extra=extra, is_give=candidate.is_give,
        person_id=candidate.person_id, action=candidate.action,
    )  # fmt: skip


def _check(user, item: AgendaItem) -> None:
    if item.owner_id != user.pk:
        raise DomainError("No such item.", code="not_found")
    if item.state == AgendaItem.State.DONE:
        raise DomainError("This item is already done.", code="done")


def _defer(user, key: str, until: date, reason: str) -> None:
    Deferral.objects.update_or_create(
        owner=user, key=key, defaults={"until": until, "reason": reason}
    )


@transaction.atomic
def item_done(*, user, item: AgendaItem, note: str = "", now: datetime | None = None) -> AgendaItem:
    """Mark an item done; about a person, it logs the conversation, which resets the cadence."""
    _check(user, item)
    now = now or timezone.now()
    today = local_day(user, now)
    note = " ".join(note.split())[:300]
    handler = providers.handler_for("done", item.kind)
    if handler is not None:
        handler(
            user=user, kind=item.kind, person_id=item.person_id, action=item.action, note=note,
            today=today,
        )  # fmt: skip
    item.state = AgendaItem.State.DONE
    item.note = note
    item.done_at = now
    item.snoozed_until = None
    item.save(update_fields=["state", "note", "done_at", "snoozed_until", "updated_at"])
    _defer(user, item.key, today + timedelta(days=DONE_QUIET_DAYS), Deferral.Reason.DONE)
    return item


@transaction.atomic
def item_snooze(*, user, item: AgendaItem, until: date, now: datetime | None = None) -> AgendaItem:
    """Put an item away until a later day; it is not suggested again before then."""
    _check(user, item)
    today = local_day(user, now or timezone.now())
    if until <= today:
        raise DomainError(
            f"until: {until.isoformat()} is not after today; pick a later day.", field="until"
        )
    if until > today + timedelta(days=366):
        raise DomainError("until: snooze for at most a year.", field="until")
    item.state = AgendaItem.State.SNOOZED
    item.snoozed_until = until
    item.save(update_fields=["state", "snoozed_until", "updated_at"])
    _defer(user, item.key, until, Deferral.Reason.SNOOZED)
    return item


@transaction.atomic
def item_skip(*, user, item: AgendaItem, now: datetime | None = None) -> AgendaItem:
    """Not today: the item leaves the list and stays away for a week if still due."""
    _check(user, item)
    today = local_day(user, now or timezone.now())
    item.state = AgendaItem.State.SKIPPED
    item.snoozed_until = None
    item.save(update_fields=["state", "snoozed_until", "updated_at"])
    _defer(user, item.key, today + timedelta(days=SKIP_DAYS), Deferral.Reason.SKIPPED)
    return item


@transaction.atomic
def item_less_often(*, user, item: AgendaItem, now: datetime | None = None) -> AgendaItem:
    """Lengthen the keep-in-touch cadence of the item's person, and set the item aside."""
    _check(user, item)
    handler = providers.handler_for("less_often", item.kind)
    if handler is None or item.person_id is None:
        raise DomainError("This item is not about a person.", code="not_a_person")
    today = local_day(user, now or timezone.now())
    handler(
        user=user, kind=item.kind, person_id=item.person_id, action=item.action, note="",
        today=today,
    )  # fmt: skip
    return item_skip(user=user, item=item, now=now)
