"""Notifications through Apprise, and the reminder settings a user keeps on their account.

Apprise speaks to ntfy, Gotify, Telegram, Matrix, webhooks and many more, each through one
URL (see https://github.com/caronc/apprise/wiki). It makes its own HTTP requests, outside
`cairn.lib.http`, so the addresses it may reach are checked here instead: a URL whose host
the user chooses must resolve to public addresses only (unless the operator allows private
fetches), checked when the URL is saved and again before every send. A notification that
fails is logged and reported, never raised: it must not stop a digest or the worker.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.db import transaction

from cairn.core.errors import DomainError
from cairn.lib import http

log = logging.getLogger(__name__)

MAX_URLS = 10
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Outcome:
    """What happened to one notification address: `line` is its line in the settings."""

    line: int
    shown: str  # the URL with its secrets masked, fit for a log or a page
    ok: bool
    error: str = ""


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their numbers; a line starting with # is a comment."""
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            found.append((number, line))
    return found


def _instantiate(url: str):
    import apprise  # imported when needed: it takes most of a second to load

    # Apprise logs a warning for each URL it cannot read; the caller reports it instead.
    with apprise.LogCapture(level=logging.CRITICAL):
        return apprise.Apprise.instantiate(url, suppress_exceptions=True)


def _masked(url: str, plugin) -> str:
    try:
        return plugin.url(privacy=True).split("?", 1)[0]
    except Exception:  # a plugin that cannot print itself still gets named by its scheme
        return url.split(":", 1)[0] + "://…"


def _chosen_host(plugin) -> str | None:
    """The host the user chose for this service, or None when Apprise talks to the service's
    own fixed address (Telegram, Discord …) and the URL only carries tokens."""
    templates = getattr(plugin, "templates", ()) or ()
    if not any("{host}" in template for template in templates):
        return None
    return getattr(plugin, "host", None) or None


def refusal(plugin, *, allow_private: bool | None = None) -> str | None:
    """Why Apprise must not be let reach this plugin's host, or None if it may.

    A host that does not resolve is let through: Apprise could not reach it either, and some
    services (ntfy.sh's cloud topics) put a topic name where the host would be.
    """
    if allow_private is None:
        allow_private = bool(settings.ALLOW_PRIVATE_FETCH)
    host = _chosen_host(plugin)
    if host is None:
        return None
    host = host.strip("[]")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            port = int(getattr(plugin, "port", None) or 443)
            addresses = [ipaddress.ip_address(text) for text in http.resolve(host, port)]
        except (OSError, UnicodeError, ValueError):
            return None
    for address in addresses:
        reason = http.refusal_reason(address)
        if reason is None:
            continue
        judged = http.embedded_ipv4(address) or address
        if allow_private and judged not in http.METADATA_ADDRESSES:
            continue
        if str(address) == host:
            return f"{host} is {reason}"
        return f"{host} resolves to {address}, {reason}"
    return None


def parse_notify_urls(text: str, *, check_addresses: bool = True) -> list[str]:
    """The Apprise URLs in `text`, one a line; a DomainError names the first bad line."""
    lines = _lines(text)
    if len(lines) > MAX_URLS:
        raise DomainError(
            f"notify_urls: at most {MAX_URLS} addresses, not {len(lines)}.", field="notify_urls"
        )
    urls = []
    for number, url in lines:
        if len(url) > MAX_URL_LENGTH:
            raise DomainError(
                f"notify_urls: line {number} is longer than {MAX_URL_LENGTH} characters.",
                field="notify_urls",
            )
        plugin = _instantiate(url)
        if plugin is None:
            scheme = url.split("://", 1)[0] if "://" in url else ""
            hint = (
                f"Apprise knows no service called {scheme!r}"
                if scheme
                else "it is not a URL (it should look like ntfys://ntfy.sh/my-topic)"
            )
            raise DomainError(
                f"notify_urls: line {number}: {hint}, or the rest of the address is incomplete.",
                field="notify_urls",
            )
        if check_addresses:
            reason = refusal(plugin)
            if reason:
                raise DomainError(
                    f"notify_urls: line {number}: refused, {reason}. Cairn only notifies "
                    "public addresses.",
                    field="notify_urls",
                )
        urls.append(url)
    return urls


def notify(urls_text: str, *, title: str, body: str) -> list[Outcome]:
    """Send one notification to each address; failures are logged and returned, never raised."""
    outcomes = []
    for number, url in _lines(urls_text)[:MAX_URLS]:
        outcomes.append(_notify_one(number, url, title=title, body=body))
    return outcomes


def _notify_one(number: int, url: str, *, title: str, body: str) -> Outcome:
    plugin = _instantiate(url)
    if plugin is None:
        log.warning("Notification address on line %d is not a valid Apprise URL", number)
        return Outcome(number, "", False, "not a valid Apprise URL")
    shown = _masked(url, plugin)
    try:
        # Checked again at each send: what a name resolves to can change after it was saved.
        reason = refusal(plugin)
        if reason:
            log.warning("Notification to %s refused: %s", shown, reason)
            return Outcome(number, shown, False, f"refused: {reason}")
        import apprise

        with apprise.LogCapture(level=logging.WARNING) as captured:
            sent = plugin.notify(body=body, title=title)
        if sent:
            return Outcome(number, shown, True)
        detail = _last_line(captured.getvalue()) or "the service did not accept it"
        log.warning("Notification to %s failed: %s", shown, detail)
        return Outcome(number, shown, False, detail)
    except Exception as error:  # a broken plugin or network must never stop the caller
        log.warning("Notification to %s failed: %s", shown, error)
        return Outcome(number, shown, False, f"{type(error).__name__}: {error}"[:300])


def _last_line(text: str) -> str:
    # Apprise's captured lines read "2026-06-10 07:30:00,123 - WARNING - what happened".
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1].split(" - ", 2)[-1][:300] if lines else ""


# ---------------------------------------------------------------- settings


@transaction.atomic
def digest_settings_update(*, user, enabled: bool, at: time) -> None:
    """Turn the daily digest on or off and choose its time of day (in the user's zone)."""
    user.digest_enabled = enabled
    user.digest_time = at.replace(second=0, microsecond=0)
    user.save(update_fields=["digest_enabled", "digest_time"])


@transaction.atomic
def notify_urls_update(*, user, text: str) -> list[str]:
    """Keep the user's notification addresses after checking every line; returns them."""
    urls = parse_notify_urls(text)
    # Comments stay (they name the addresses); blank lines and stray spaces go.
    user.notify_urls = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    user.save(update_fields=["notify_urls"])
    return urls


def notify_test(*, user) -> list[Outcome]:
    """Send a short test notification to each of the user's addresses."""
    if not _lines(user.notify_urls):
        raise DomainError("Add a notification address first.", field="notify_urls")
    return notify(
        user.notify_urls,
        title="Cairn: a test notification",
        body=f"This address will receive your daily digest. {settings.SITE_URL}/",
    )
