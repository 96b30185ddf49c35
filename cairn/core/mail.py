"""An email backend that queues messages for the worker instead of sending them inline."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from cairn.core.models import OutboundEmail


class OutboxBackend(BaseEmailBackend):
    """Store each message; `core.deliver_email` sends it, retrying while the server is down."""

    def send_messages(self, email_messages) -> int:
        now = timezone.now()
        rows = [
            OutboundEmail(
                recipients=list(message.recipients()),
                message=message.message().as_string(),
                subject=str(message.subject)[:300],
                due_at=now,
            )
            for message in email_messages
            if message.recipients()
        ]
        OutboundEmail.objects.bulk_create(rows)
        return len(rows)
