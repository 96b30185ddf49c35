"""Accounts: the user, API tokens and the record of failed logins."""

from __future__ import annotations

import hashlib
import zoneinfo
from datetime import time
from functools import cache
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from cairn.core.models import OwnedModel


@cache
def time_zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Paris).")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Mode(models.TextChoices):
        MAINTAIN = "maintain", "Maintain — keep my career warm"
        TRANSITION = "transition", "Transition — I am actively changing"

    email = models.EmailField("email address", max_length=254, unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    daily_action_count = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How many actions Today suggests each day.",
    )
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.MAINTAIN)
    # Reminders outside the app: the morning digest, notifications, the calendar feed.
    digest_enabled = models.BooleanField("send me a daily digest", default=False)
    digest_time = models.TimeField(
        "send it at", default=time(7, 30), help_text="In your own time zone."
    )
    digest_last_sent_on = models.DateField(
        null=True, blank=True, editable=False, help_text="Your local date of the last digest."
    )
    notify_urls = models.TextField(
        "notification addresses", blank=True, help_text="Apprise URLs, one a line."
    )
    calendar_token_digest = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False,
        help_text="SHA-256 of the calendar feed's secret; the secret is only in its URL.",
    )  # fmt: skip
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(daily_action_count__gte=1, daily_action_count__lte=10),
                name="accounts_user_daily_action_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: they are long and random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(OwnedModel):
    """A secret for the REST API. Shown once when created; only its digest is kept."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class LoginFailure(models.Model):
    """A failed login, kept for a day to throttle password guessing."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.email} from {self.ip} at {self.at:%Y-%m-%d %H:%M}"
