"""System checks that explain a misconfiguration in words an operator can act on."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    key = settings.SECRET_KEY
    weak = len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")
    if not settings.DEBUG and weak:
        return [
            Error(
                "CAIRN_SECRET_KEY is too short, too repetitive or a placeholder while debug "
                "is off.",
                hint="Unset it to let Cairn generate one in the data directory, or set 50+ "
                "random characters, e.g. from "
                "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id="cairn.E001",
            )
        ]
    return []


@register(Tags.security)
def check_hosts(app_configs, **kwargs):
    allowed = settings.ALLOWED_HOSTS
    host = settings.SITE_HOST
    # The same matching Django applies to the Host header (wildcards, .domain, any case).
    if validate_host(host, allowed):
        return []
    return [
        Warning(
            f"CAIRN_SITE_URL's host {host!r} is not in CAIRN_ALLOWED_HOSTS ({', '.join(allowed)}).",
            hint="Links in emails would point at a host this server refuses. Add it to "
            "CAIRN_ALLOWED_HOSTS or correct CAIRN_SITE_URL.",
            id="cairn.W001",
        )
    ]


@register()
def check_email(app_configs, **kwargs):
    if settings.EMAIL_CONFIGURED or settings.DEBUG:
        return []
    return [
        Warning(
            "CAIRN_EMAIL_URL is not set: password-reset emails and daily digests cannot be sent.",
            hint="Set CAIRN_EMAIL_URL=smtp://user:password@mail.example.org:587?tls=1 "
            "(see docs/configuration.md). Until then, reset passwords with "
            "`cairn changepassword EMAIL`.",
            id="cairn.W002",
        )
    ]


@register()
def check_data_dir(app_configs, **kwargs):
    if os.access(settings.DATA_DIR, os.W_OK):
        return []
    return [
        Error(
            f"CAIRN_DATA_DIR {str(settings.DATA_DIR)!r} is not writable by this user.",
            hint="Cairn keeps its secret key, SQLite database and backups there.",
            id="cairn.E002",
        )
    ]


@register(Tags.security, deploy=True)
def check_https(app_configs, **kwargs):
    if settings.DEBUG or settings.HTTPS:
        return []
    return [
        Warning(
            "CAIRN_SITE_URL is not https://: sessions and passwords would cross the network "
            "unencrypted.",
            hint="Serve Cairn behind a TLS proxy and set CAIRN_SITE_URL=https://… and "
            "CAIRN_BEHIND_PROXY=1 (see docs/self-hosting.md).",
            id="cairn.W003",
        )
    ]
