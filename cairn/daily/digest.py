"""The daily digest: today's agenda by email (and by notification), once a day per person.

`send_digests` is a worker step. Each person is claimed for their own local date with a
conditional UPDATE — `SET digest_last_sent_on = <local date> WHERE id = ? AND (it is null or
older)` — so of several workers racing for the same person exactly one sees a row count of 1.
The claim, the agenda and the queued email are one transaction: the email is queued exactly
when the day is marked as sent. Notifications go out after the commit, since they talk to
the network, and a failed one is only logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from cairn.core.jobs import step
from cairn.daily import notify, services
from cairn.daily.models import AgendaItem

log = logging.getLogger(__name__)

# No place on Earth is more than 14 hours ahead of UTC (Kiritimati): a person whose last
# digest is on or after that date has had today's, wherever they live.
MAX_UTC_OFFSET = timedelta(hours=14)
BATCH = 25  # people served per step run, so one run stays short; the worker comes back


@dataclass(frozen=True)
class DigestItem:
    """One action of the day as the digest shows it; `url` is absolute."""

    title: str
    why: str
    url: str
    is_give: bool = False


@dataclass(frozen=True)
class Digest:
    """Today's digest for one person: the day in their zone and its open actions."""

    name: str
    email: str
    day: date
    items: tuple[DigestItem, ...]
    today_url: str
    settings_url: str

    @property
    def subject(self) -> str:
        count = len(self.items)
        things = "1 thing" if count == 1 else f"{count} things"
        return f"Today: {things} for {self.day:%A} {self.day.day} {self.day:%B}"

    def text(self) -> str:
        """The short form, for a notification: one line per action, then the link."""
        lines = [f"• {item.title} — {item.why}" for item in self.items]
        return "\n".join([*lines, "", f"Open Today: {self.today_url}"])


def absolute(path: str) -> str:
    """A link for outside the app, on the configured site (never a request's Host)."""
    return settings.SITE_URL.rstrip("/") + path


def digest_for(*, user, now: datetime) -> Digest:
    """Today's digest for `user`: the open actions of their agenda (made now if need be)."""
    agenda = services.agenda_for_today(user=user, now=now)
    today_url = absolute(reverse("daily:today"))
    items = tuple(
        DigestItem(
            title=item.title,
            why=item.why,
            url=absolute(item.url) if item.url.startswith("/") else today_url,
            is_give=item.is_give,
        )
        for item in agenda.items.all()
        if not item.is_extra and item.state == AgendaItem.State.OPEN
    )
    return Digest(
        name=user.name,
        email=user.email,
        day=agenda.day,
        items=items,
        today_url=today_url,
        settings_url=absolute(reverse("accounts:settings")) + "#reminders",
    )


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The digest as an email with a plain-text and an HTML part."""
    context = {"digest": digest, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("daily/email/digest.txt", context),
        to=[digest.email],
    )
    message.attach_alternative(render_to_string("daily/email/digest.html", context), "text/html")
    return message


def digest_queue(digest: Digest) -> None:
    """Queue the email in the outbox; the `core.deliver_email` step sends it."""
    digest_message(digest).send()


def digest_notify(*, user, digest: Digest) -> list[notify.Outcome]:
    """Send the digest's short form to the user's notification addresses, if any."""
    if not user.notify_urls.strip() or not digest.items:
        return []
    return notify.notify(user.notify_urls, title=digest.subject, body=digest.text())


def digest_send_now(*, user, now: datetime) -> tuple[Digest, list[notify.Outcome]]:
    """Queue today's digest and notify it now, whatever the settings say (`cairn digest`).

    It does not count as the day's digest: the scheduled one still comes at its time.
    """
    digest = digest_for(user=user, now=now)
    if not digest.items:
        return digest, []
    digest_queue(digest)
    return digest, digest_notify(user=user, digest=digest)


def claim_day(*, user_id: int, day: date) -> bool:
    """Mark `day` as the user's last digest unless it already is: True for the one winner."""
    unsent = Q(digest_last_sent_on__isnull=True) | Q(digest_last_sent_on__lt=day)
    won = get_user_model().objects.filter(unsent, pk=user_id, digest_enabled=True, is_active=True)
    return won.update(digest_last_sent_on=day) == 1


def is_due(user, now: datetime) -> bool:
    """Whether the user's digest time has passed today, in their zone, and today's is unsent."""
    local = now.astimezone(user.zone)
    last = user.digest_last_sent_on
    return local.time() >= user.digest_time and (last is None or last < local.date())


def digest_send_if_due(*, user, now: datetime) -> Digest | None:
    """Claim the user's day and, if this caller won it, queue and notify today's digest.

    A day with nothing to do is marked as sent without a message: an empty digest is noise.
    """
    if not is_due(user, now):
        return None
    day = services.local_day(user, now)
    with transaction.atomic():
        if not claim_day(user_id=user.pk, day=day):
            return None  # another worker has it
        digest = digest_for(user=user, now=now)
        if digest.items:
            digest_queue(digest)
    digest_notify(user=user, digest=digest)
    return digest


@step("daily.send_digests")
def send_digests(now: datetime) -> bool:
    """Send each person's digest once their time of day has come; True if any was handled."""
    horizon = (now.astimezone(UTC) + MAX_UTC_OFFSET).date()
    people = (
        get_user_model()
        .objects.filter(digest_enabled=True, is_active=True)
        .filter(Q(digest_last_sent_on__isnull=True) | Q(digest_last_sent_on__lt=horizon))
        .order_by("pk")
    )
    handled = 0
    for user in people.iterator(chunk_size=500):
        if handled >= BATCH:
            break
        if not is_due(user, now):
            continue
        try:
            digest_send_if_due(user=user, now=now)
        except Exception:
            # A digest that cannot be made (a broken provider) is given up for the day, not
            # retried every few seconds; the error is in the log.
            log.exception("The digest for user %s failed", user.pk)
            claim_day(user_id=user.pk, day=services.local_day(user, now))
        handled += 1
    return handled > 0
