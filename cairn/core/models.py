"""Ownership, worker heartbeats and the outgoing mail queue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.http import Http404


class OwnedQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> OwnedQuerySet:
        """Rows owned by `user`; nothing at all for an anonymous visitor."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)


class OwnedModel(models.Model):
    """Base for every row that belongs to one account.

    Deleting the account deletes its rows (CASCADE): "delete my account" leaves nothing.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


def get_owned_or_404(model: type[OwnedModel] | OwnedQuerySet, user: Any, **lookup: Any) -> Any:
    """The one way views fetch an owned object: another account's object is a 404."""
    queryset = model if isinstance(model, models.QuerySet) else model.objects.all()
    try:
        return queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such object.") from None


def owned_models() -> list[type[OwnedModel]]:
    """Every concrete model that rows owned by an account live in."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, OwnedModel) and not model._meta.abstract
    ]


class WorkerHeartbeat(models.Model):
    """One row per worker process, touched every loop; /healthz reads the newest."""

    name = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    steps_run = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class OutboundEmail(models.Model):
    """A message waiting for the worker to hand it to the mail server.

    Claimed with a lease (see cairn.core.jobs.claim) so that several workers never send the
    same message twice and a crashed worker's message is retried when its lease expires.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"

    MAX_ATTEMPTS = 8

    recipients = models.JSONField()
    message = models.TextField(help_text="The whole RFC 5322 message, as sent.")
    subject = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    due_at = models.DateTimeField(db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"

    def retry_delay(self) -> timedelta:
        """Back off exponentially: 1, 2, 4 … minutes, at most a few hours."""
        return timedelta(minutes=2 ** min(self.attempts, 8))

    def next_due(self, now: datetime) -> datetime:
        return now + self.retry_delay()
