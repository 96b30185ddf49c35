"""Today's use cases: make the day's agenda once, and do, snooze, skip or space out its items;
and everything due beyond the day's few, which can be done, snoozed or skipped all the same.

What doing an item means for the rest of Cairn (log a conversation, lengthen a cadence) is
decided by the app that suggested it, through the handlers registered in `providers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
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


@dataclass(frozen=True)
class Stamp:
    """Today's agenda as seen from outside: `changed_at` moves whenever one of its items does."""

    agenda_id: int
    changed_at: datetime


def agenda_stamp(*, user, now: datetime) -> Stamp | None:
    """Today's stamp; None before the day's agenda is made.

    Read on every visit to Today, so the query is written out: the ORM would take ten times
    longer to build it than the database takes to answer it.
    """
    table = connection.ops.quote_name(Agenda._meta.db_table)
    day = connection.ops.adapt_datefield_value(local_day(user, now))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, updated_at FROM {table} WHERE owner_id = %s AND day = %s",  # noqa: S608
            [user.pk, day],
        )
        row = cursor.fetchone()
    return None if row is None else Stamp(*row)


def _touch(agenda_id: int, when: datetime) -> None:
    # Every change to an item goes through here: Today's cached list is keyed on the stamp.
    Agenda.objects.filter(pk=agenda_id).update(updated_at=when)


def _save(item: AgendaItem, fields: list[str]) -> None:
    """Save these fields of an item, and mark its agenda changed."""
    item.save(update_fields=[*fields, "updated_at"])
    _touch(item.agenda_id, item.updated_at)


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
            _touch(agenda.pk, timezone.now())
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
    _save(item, ["state", "note", "done_at", "snoozed_until"])
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
    _save(item, ["state", "snoozed_until"])
    _defer(user, item.key, until, Deferral.Reason.SNOOZED)
    return item


@transaction.atomic
def item_skip(*, user, item: AgendaItem, now: datetime | None = None) -> AgendaItem:
    """Not today: the item leaves the list and stays away for a week if still due."""
    _check(user, item)
    today = local_day(user, now or timezone.now())
    item.state = AgendaItem.State.SKIPPED
    item.snoozed_until = None
    _save(item, ["state", "snoozed_until"])
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


# ---------------------------------------------------------------- everything due


@dataclass(frozen=True)
class Due:
    """One of the day's candidates, with what has become of it today."""

    candidate: providers.Candidate
    item: AgendaItem | None = None  # today's item with the same key, if the agenda has one
    deferral: Deferral | None = None  # the key's deferral, while it is in force

    @property
    def key(self) -> str:
        return self.candidate.key[:120]

    @property
    def state(self) -> str:
        """open, done, snoozed, skipped or less_often."""
        if self.item is not None and self.item.state != AgendaItem.State.OPEN:
            return self.item.state
        if self.deferral is not None:
            return self.deferral.reason
        return AgendaItem.State.OPEN

    @property
    def is_open(self) -> bool:
        return self.state == AgendaItem.State.OPEN

    @property
    def label(self) -> str:
        return kind_label(self.candidate.kind)

    @property
    def slug(self) -> str:
        return key_slug(self.key)

    @property
    def on_today(self) -> bool:
        """One of the day's chosen few (not an extra)."""
        return self.item is not None and not self.item.is_extra


def key_slug(key: str) -> str:
    """A key as an HTML id: keep_in_touch:person:42 → keep_in_touch-person-42."""
    return "".join(c if c.isalnum() or c == "_" else "-" for c in key)


def kind_label(kind: str) -> str:
    """`keep_in_touch` → "Keep in touch": a kind is named by the provider that makes it."""
    return kind.replace("_", " ").capitalize()


def _due_rows(user, agenda: Agenda) -> list[Due]:
    items = {item.key: item for item in agenda.items.all()}
    deferrals = {
        deferral.key: deferral
        for deferral in Deferral.objects.for_user(user).filter(until__gt=agenda.day)
    }
    rows: dict[str, Due] = {}
    for candidate in planner.rank(providers.candidates_for(user, agenda.day)):
        key = candidate.key[:120]
        if key not in rows:  # ranked best first: the best of a key's candidates stays
            rows[key] = Due(candidate, items.get(key), deferrals.get(key))
    return list(rows.values())


def due_for(*, user, now: datetime) -> tuple[Agenda, list[Due]]:
    """Every current candidate of the user's day, best first, beside today's agenda."""
    agenda = agenda_for_today(user=user, now=now)
    return agenda, _due_rows(user, agenda)


def due_count(*, user, agenda: Agenda) -> int:
    """How many candidates are still open today, on the agenda or not."""
    return sum(row.is_open for row in _due_rows(user, agenda))


DUE_SORTS = ("score", "kind")


def due_select(
    rows: list[Due],
    *,
    kind: str = "",
    give: bool = False,
    text: str = "",
    closed: bool = False,
    sort: str = "score",
) -> list[Due]:
    """The rows one kind, the gives, those whose title or reason holds `text`; the done and
    put-off ones only if `closed`; by score (as given) or grouped by kind. Pure."""
    words = text.casefold().split()
    chosen = [
        row
        for row in rows
        if (closed or row.is_open)
        and (not kind or row.candidate.kind == kind)
        and (not give or row.candidate.is_give)
        and all(w in f"{row.candidate.title} {row.candidate.why}".casefold() for w in words)
    ]
    if sort == "kind":
        chosen.sort(key=lambda row: row.candidate.kind)  # stable: best first within a kind
    return chosen


def _take(user, key: str, now: datetime) -> tuple[AgendaItem, Due]:
    """Today's item for `key`: the one on the agenda, or the due candidate added as an extra."""
    agenda = agenda_for_today(user=user, now=now)
    row = next((row for row in _due_rows(user, agenda) if row.key == key), None)
    item = next((item for item in agenda.items.all() if item.key == key), None)
    if row is None:
        raise DomainError(
            "That is no longer due: it may have been dealt with already. Reload the list.",
            code="not_found",
        )
    if item is None:
        position = max((i.position for i in agenda.items.all() if i.is_extra), default=-1) + 1
        item = _item(user, agenda, row.candidate, position, extra=True)
        try:
            with transaction.atomic():
                item.save()
                _touch(agenda.pk, item.updated_at)
        except IntegrityError:  # added a moment ago by another request
            item = AgendaItem.objects.get(agenda=agenda, key=key)
    return item, row


def _after(row: Due, item: AgendaItem) -> Due:
    item.refresh_from_db()
    return Due(row.candidate, item, None)


@transaction.atomic
def due_done(*, user, key: str, note: str = "", now: datetime | None = None) -> Due:
    """Do a due candidate: it joins today's agenda (as an extra, if it was not there) done."""
    now = now or timezone.now()
    item, row = _take(user, key, now)
    item_done(user=user, item=item, note=note, now=now)
    return _after(row, item)


@transaction.atomic
def due_snooze(*, user, key: str, until: date, now: datetime | None = None) -> Due:
    """Put a due candidate away until a later day, as `item_snooze` does."""
    now = now or timezone.now()
    item, row = _take(user, key, now)
    item_snooze(user=user, item=item, until=until, now=now)
    return _after(row, item)


@transaction.atomic
def due_skip(*, user, key: str, now: datetime | None = None) -> Due:
    """Not today: the due candidate stays away for a week, as `item_skip` does."""
    now = now or timezone.now()
    item, row = _take(user, key, now)
    item_skip(user=user, item=item, now=now)
    return _after(row, item)


@transaction.atomic
def due_less_often(*, user, key: str, now: datetime | None = None) -> Due:
    """Lengthen the cadence of the due candidate's person, as `item_less_often` does."""
    now = now or timezone.now()
    item, row = _take(user, key, now)
    item_less_often(user=user, item=item, now=now)
    return _after(row, item)
