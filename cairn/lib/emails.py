"""Email configuration from one URL, and sending helpers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from cairn.lib.env import FALSE, TRUE

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
NULL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
PARAMETERS = {"tls", "from"}


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    default_from: str = ""

    @property
    def configured(self) -> bool:
        """Whether messages go somewhere a person reads them (SMTP, or the console log)."""
        return self.backend in (SMTP_BACKEND, CONSOLE_BACKEND)


def parse_email_url(url: str, *, variable: str = "CAIRN_EMAIL_URL") -> EmailConfig:
    """Parse `smtp://user:pass@host:587?tls=1&from=cairn@example.org` (or smtps://, console://).

    An empty URL means email is not configured.
    """
    if not url:
        return EmailConfig(backend=NULL_BACKEND)
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - PARAMETERS)
    if unknown:
        raise ImproperlyConfigured(
            f"{variable} has an unknown parameter {unknown[0]!r} (known: tls, from)."
        )
    default_from = query.get("from", "")
    if parts.scheme == "console":
        return EmailConfig(backend=CONSOLE_BACKEND, default_from=default_from)
    if parts.scheme not in ("smtp", "smtps", "smtp+tls"):
        raise ImproperlyConfigured(
            f"{variable} must start with smtp://, smtps:// or console:// (got {parts.scheme!r})."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{variable} has no host name.")
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{variable} has an invalid port.") from None
    use_ssl = parts.scheme == "smtps"
    tls = query.get("tls", "").lower()
    if tls and tls not in TRUE | FALSE:
        # A typo must not quietly send the password in the clear.
        raise ImproperlyConfigured(f"{variable}: tls={tls!r} is not one of 1/0, true/false.")
    use_tls = parts.scheme == "smtp+tls" or tls in TRUE
    if use_ssl and use_tls:
        raise ImproperlyConfigured(f"{variable}: smtps:// already encrypts; drop tls=1.")
    return EmailConfig(
        backend=SMTP_BACKEND,
        host=parts.hostname,
        port=port or (465 if use_ssl else 587 if use_tls else 25),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        default_from=default_from,
    )
