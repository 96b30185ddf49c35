"""Validating and normalising emails, phone numbers and links (pure)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

_email = EmailValidator(message="This is not an email address.")
_url = URLValidator(schemes=["http", "https"], message="This is not a web address (http/https).")


def normalize_email(value: str) -> str:
    """The address in lower case, or ValidationError."""
    value = value.strip()
    _email(value)
    return value.lower()


def normalize_phone(value: str, *, region: str | None = None) -> str:
    """E.164 (`+33612345678`); numbers without a country code need `region` (e.g. "FR")."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            "This is not a phone number; include the country code, e.g. +44 20 7946 0000."
        ) from None
    if not phonenumbers.is_possible_number(number):
        raise ValidationError("This phone number has the wrong number of digits.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A readable international form of a normalised number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalize_url(value: str) -> str:
    """Lower-case scheme and host, no `www.`, no trailing slash, no query or fragment noise for
    profile links: `HTTPS://www.LinkedIn.com/in/ana/` and `linkedin.com/in/ana` match."""
    value = value.strip()
    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        value = "https://" + value
    _url(value)
    parts = urlsplit(value)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


def normalize(kind: str, value: str, *, region: str | None = None) -> str:
    """Normalise by kind ("email", "phone", "link")."""
    if kind == "email":
        return normalize_email(value)
    if kind == "phone":
        return normalize_phone(value, region=region)
    if kind == "link":
        return normalize_url(value)
    raise ValueError(f"unknown contact kind {kind!r}")
