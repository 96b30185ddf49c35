"""Account use cases: sign-up, login throttling, API tokens, export and deletion."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cairn.accounts.models import ApiToken, LoginFailure, User, hash_token
from cairn.core.errors import DomainError

TOKEN_PREFIX = "cairn_"


def signup_open() -> bool:
    """Whether the operator lets new people create accounts."""
    return settings.SIGNUP == "open"


def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str = "",
    time_zone: str = "UTC",
    is_superuser: bool = False,
) -> User:
    """Create an account; a duplicate address (in any case) is a DomainError."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(f"An account for {email} already exists.", code="exists", field="email")
    try:
        if is_superuser:
            return User.objects.create_superuser(
                email, password, display_name=display_name, time_zone=time_zone
            )
        return User.objects.create_user(
            email, password, display_name=display_name, time_zone=time_zone
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(f"{field}: {' '.join(messages)}", field=field) from None


def login_wait_seconds(*, email: str, ip: str | None, now: datetime) -> int:
    """Seconds before another login attempt is allowed for this address or network address.

    An email address is locked after LOGIN_FAILURE_LIMIT failures within the window; a network
    address after ten times as many (several people may share one).
    """
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=now - window).order_by("-at")
    limit = settings.LOGIN_FAILURE_LIMIT
    checks = [(recent.filter(email=email.strip().lower()), limit)]
    if ip:
        checks.append((recent.filter(ip=ip), limit * 10))
    for failures, allowed in checks:
        times = list(failures.values_list("at", flat=True)[:allowed])
        if len(times) >= allowed:
            # Locked until the oldest failure that counts leaves the window.
            return max(1, int((times[-1] + window - now).total_seconds()))
    return 0


def login_failure_record(*, email: str, ip: str | None, now: datetime) -> None:
    LoginFailure.objects.create(email=email.strip().lower()[:254], ip=ip, at=now)


def login_failures_clear(*, email: str) -> None:
    LoginFailure.objects.filter(email=email.strip().lower()).delete()


def api_token_create(*, user: User, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never shown again."""
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name, e.g. the script that will use it.", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 4],
        digest=hash_token(secret),
        read_only=read_only,
    )
    return token, secret


def api_token_revoke(*, user: User, token_id: int) -> None:
    """Delete one of the user's tokens; requests using it fail from now on."""
    deleted, _ = ApiToken.objects.for_user(user).filter(pk=token_id).delete()
    if not deleted:
        raise DomainError("No such token.", code="not_found")


def api_token_authenticate(*, secret: str, now: datetime) -> ApiToken | None:
    """The live token for this secret (with its owner), or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("owner")
        .filter(digest=hash_token(secret), owner__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Touch at most once a minute: reads should not all become writes.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def account_export(*, user: User) -> Iterator[str]:
    """The account and every row it owns as one JSON document (the complete archive)."""
    from cairn.exchange.archive import write_archive  # the archive's format lives there

    return write_archive(user)


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Delete the account and, through ownership, every row it owns."""
    if not user.check_password(password):
        raise DomainError("That is not your password.", code="forbidden", field="password")
    LoginFailure.objects.filter(email=user.email).delete()
    user.delete()


SETTINGS_FIELDS = ("display_name", "time_zone", "daily_action_count", "mode")


def user_settings_update(*, user: User, **changes) -> User:
    """Change the account's preferences; invalid values are a DomainError naming the field."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(f"Unknown setting: {', '.join(sorted(unknown))}.", field=min(unknown))
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        user.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        user.refresh_from_db()
        raise DomainError(" ".join(messages), field=field) from None
    user.save(update_fields=list(changes))
    return user
