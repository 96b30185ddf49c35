"""Typed readers for environment variables.

Every reader names the variable in its error, and a malformed value is an error rather than a
silent default: a typo in `CAIRN_DEBUG=ture` must not quietly switch debug off.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    """A string; empty or unset gives the default."""
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    """A boolean spelled 1/0, true/false, yes/no or on/off (any case)."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """An integer, optionally bounded."""
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum of {maximum}.")
    return number


def env_choice(
    name: str, default: str, choices: Sequence[str], *, environ: Mapping[str, str] | None = None
) -> str:
    """One of a fixed set of words (compared without case)."""
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
    return value.lower()


def env_list(
    name: str, default: Sequence[str] = (), *, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_path(name: str, default: Path, *, environ: Mapping[str, str] | None = None) -> Path:
    """A filesystem path, `~` expanded and made absolute."""
    value = _raw(name, environ)
    path = default if value is None else Path(value)
    return path.expanduser().resolve()


def _port_is_valid(parts: SplitResult) -> bool:
    try:
        return parts.port is None or parts.port >= 0
    except ValueError:  # not a number, or above 65535
        return False


def env_url(
    name: str,
    default: str,
    *,
    schemes: Sequence[str] = ("http", "https"),
    environ: Mapping[str, str] | None = None,
) -> str:
    """A URL with one of the given schemes and a host; the trailing slash is removed."""
    value = _raw(name, environ)
    if value is None:
        return default
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname or not _port_is_valid(parts):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a URL of the form {schemes[0]}://host[:port]."
        )
    return value.rstrip("/")


def env_secret(name: str, *, environ: Mapping[str, str] | None = None) -> str | None:
    """A secret from `NAME`, or read from the file that `NAME_FILE` points at."""
    direct = _raw(name, environ)
    file_name = _raw(f"{name}_FILE", environ)
    if direct is not None and file_name is not None:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
    if file_name is None:
        return direct
    try:
        content = Path(file_name).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}_FILE={file_name!r} cannot be read: {error.strerror}."
        ) from None
    if not content:
        raise ImproperlyConfigured(f"{name}_FILE={file_name!r} is empty.")
    return content
