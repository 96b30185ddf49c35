"""The job registry and the claiming rule that every background step uses.

A step is a function `(now) -> bool`: it claims due rows with a conditional UPDATE, does the
work, and returns whether it found anything to do (the worker sleeps only when no step did).
The database is the queue: no broker, safe with many workers, and a worker that dies mid-step
simply lets its lease run out so another worker retries the row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.parser import HeaderParser
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import models
from django.db.models import Q

log = logging.getLogger(__name__)

Step = Callable[[datetime], bool]
STEPS: dict[str, Step] = {}


def step(name: str) -> Callable[[Step], Step]:
    """Register a job step under a unique name (`app.what`)."""

    def register(function: Step) -> Step:
        if name in STEPS and STEPS[name] is not function:
            raise ValueError(f"Job step {name!r} is registered twice.")
        STEPS[name] = function
        return function

    return register


def claim(
    queryset: models.QuerySet,
    *,
    now: datetime,
    lease: timedelta,
    limit: int = 10,
    due_field: str = "due_at",
) -> list[int]:
    """Claim up to `limit` due rows of `queryset` and return the ids this caller won.

    Candidates are read first; each is then taken with `UPDATE … WHERE id = ? AND it is still
    due and free`, so of two workers racing for a row exactly one sees a row count of 1.
    `queryset` must filter on the model's own columns only: a join would turn the UPDATE into
    a subquery, which PostgreSQL does not re-check against the row it waited for.
    """
    candidates = claimable(queryset, now=now, limit=limit, due_field=due_field)
    return [
        pk for pk in candidates if take(queryset, pk, now=now, lease=lease, due_field=due_field)
    ]


def _due(queryset: models.QuerySet, *, now: datetime, due_field: str) -> models.QuerySet:
    free = Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    return queryset.filter(free, **{f"{due_field}__lte": now})


def claimable(
    queryset: models.QuerySet, *, now: datetime, limit: int = 10, due_field: str = "due_at"
) -> list[int]:
    """The ids of up to `limit` rows that are due and not leased, oldest first (a read only)."""
    due = _due(queryset, now=now, due_field=due_field).order_by(due_field, "pk")
    return list(due.values_list("pk", flat=True)[:limit])


def take(
    queryset: models.QuerySet,
    pk: int,
    *,
    now: datetime,
    lease: timedelta,
    due_field: str = "due_at",
) -> bool:
    """Lease one row if it still matches `queryset` and is still due and free."""
    # Every condition is re-checked in the UPDATE itself: between the read and this write
    # another worker may have leased the row, or finished it (status changed, lease cleared).
    row = _due(queryset, now=now, due_field=due_field).filter(pk=pk)
    return row.update(leased_until=now + lease) == 1


def _transport():
    return get_connection(backend=settings.CAIRN_EMAIL_TRANSPORT, fail_silently=False)


class _QueuedText:
    """The queued text of a message, serialised as it was stored (only line endings change)."""

    def __init__(self, raw: str):
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        # Django's SMTP backend asks for CRLF line endings; the console backend for "\n".
        return self.raw.replace("\r\n", "\n").replace("\n", linesep).encode()

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode()

    def get_charset(self) -> None:
        return None


class _RawMessage(EmailMessage):
    """An already-rendered message, sent byte for byte as it was queued."""

    def __init__(self, raw: str, recipients: list[str]):
        # The envelope sender is the address in the queued From header.
        sender = parseaddr(HeaderParser().parsestr(raw, headersonly=True).get("From", ""))[1]
        super().__init__(to=recipients, from_email=sender or None)
        self._raw = _QueuedText(raw)

    def message(self):  # type: ignore[override]
        return self._raw

    def recipients(self) -> list[str]:
        return list(self.to)


@step("core.deliver_email")
def deliver_email(now: datetime) -> bool:
    """Hand queued messages to the mail server; failures back off and are retried."""
    from cairn.core.models import OutboundEmail

    queued = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED)
    ids = claim(queued, now=now, lease=timedelta(minutes=5))
    if not ids:
        return False
    connection = _transport()
    for item in OutboundEmail.objects.filter(pk__in=ids):
        item.attempts += 1
        try:
            connection.send_messages([_RawMessage(item.message, list(item.recipients))])
        except Exception as error:  # any transport failure is recorded on the row, never fatal
            log.warning("Mail to %s failed (attempt %d): %s", item.recipients, item.attempts, error)
            item.last_error = f"{type(error).__name__}: {error}"[:2000]
            if item.attempts >= OutboundEmail.MAX_ATTEMPTS:
                item.status = OutboundEmail.Status.FAILED
            item.due_at = item.next_due(now)
        else:
            item.status = OutboundEmail.Status.SENT
            item.sent_at = now
            item.last_error = ""
        item.leased_until = None
        item.save()
    return True


@step("core.prune")
def prune(now: datetime) -> bool:
    """Forget what is no longer needed: old sent mail, dead heartbeats, old login failures."""
    from cairn.accounts.models import LoginFailure
    from cairn.core.models import OutboundEmail, WorkerHeartbeat

    deleted = 0
    deleted += OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENT, sent_at__lt=now - timedelta(days=30)
    ).delete()[0]
    deleted += WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=7)).delete()[0]
    deleted += LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()[0]
    return deleted > 0


_statistics_refreshed: dict[str, datetime] = {}


@step("core.refresh_statistics")
def refresh_statistics(now: datetime) -> bool:
    """Keep SQLite's query-planner statistics fresh, about once a day per worker.

    Without them SQLite may walk an owner's whole table through the owner index where a
    person's own rows would do; PostgreSQL's autovacuum does this there by itself. A bounded
    ANALYZE (analysis_limit) reads a sample of each index, so it costs about a second even for
    a very large network.
    """
    from django.db import connection

    last = _statistics_refreshed.get(connection.alias)
    if connection.vendor != "sqlite" or (last and now - last < timedelta(hours=24)):
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    _statistics_refreshed[connection.alias] = now
    return False  # never a sign that more work is waiting
