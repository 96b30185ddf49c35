"""Cairn's settings: configured by environment variables only (see docs/configuration.md)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cairn.lib.emails import parse_email_url
from cairn.lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent
_xdg_data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
DATA_DIR = env_path("CAIRN_DATA_DIR", _xdg_data / "cairn")
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as error:
    raise ImproperlyConfigured(
        f"CAIRN_DATA_DIR={str(DATA_DIR)!r} cannot be created: {error.strerror}."
    ) from None


def _secret_key() -> str:
    configured = env_secret("CAIRN_SECRET_KEY")
    if configured:
        return configured
    # Generated once and kept beside the data, readable by its owner only.
    path = DATA_DIR / "secret_key"
    try:
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
        return path.read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"CAIRN_DATA_DIR={str(DATA_DIR)!r}: cannot keep the secret key there "
            f"({error.strerror}); make the directory writable or set CAIRN_SECRET_KEY."
        ) from None


SECRET_KEY = _secret_key()
DEBUG = env_bool("CAIRN_DEBUG", False)
SITE_URL = env_url("CAIRN_SITE_URL", "http://localhost:8000")
SITE_HOST = urlsplit(SITE_URL).hostname or "localhost"
ALLOWED_HOSTS = env_list(
    "CAIRN_ALLOWED_HOSTS", list(dict.fromkeys([SITE_HOST, "localhost", "127.0.0.1", "[::1]"]))
)
CSRF_TRUSTED_ORIGINS = [SITE_URL]
SIGNUP = env_choice("CAIRN_SIGNUP", "open", ("open", "closed"))
ALLOW_PRIVATE_FETCH = env_bool("CAIRN_ALLOW_PRIVATE_FETCH", False)
# The largest contacts file or archive accepted through the web (the CLI has no limit).
IMPORT_MAX_BYTES = env_int("CAIRN_IMPORT_MAX_MB", 50, minimum=1, maximum=10_000) * 1024 * 1024

# HTTPS: when the site is served over TLS, cookies only travel encrypted and browsers are told
# to insist on HTTPS. Behind a proxy that terminates TLS, trust its X-Forwarded-Proto header.
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("CAIRN_SSL_REDIRECT", True)
# Monitoring probes talk to the app server directly, often over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
# Subdomains and the preload list are the operator's to decide, not Cairn's: a Cairn at
# cairn.example.org must not force HTTPS on the rest of example.org.
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
BEHIND_PROXY = env_bool("CAIRN_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "ninja",
    "cairn.core",
    "cairn.accounts",
    "cairn.daily",
    "cairn.network",
    "cairn.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cairn.accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "cairn.urls"
WSGI_APPLICATION = "cairn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cairn.core.context_processors.cairn",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'cairn.sqlite3'}")
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        # One writer at a time: take the write lock when the transaction starts (no
        # upgrade deadlocks), wait for it rather than failing, and let readers run alongside
        # the writer (WAL).
        # Connections are kept: the PRAGMAs below then run once per process, not per request.
        config["CONN_MAX_AGE"] = None
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    elif engine not in ("django.db.backends.postgresql",):
        raise ImproperlyConfigured(
            "DATABASE_URL must be sqlite:///path or postgres://user@host/name; "
            f"{engine or 'this scheme'} is not supported."
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "daily:today"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# Login throttling: this many failures for one address (or ten times as many from one
# network address) within the window lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the package: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

_email = parse_email_url(env_str("CAIRN_EMAIL_URL"))
EMAIL_CONFIGURED = _email.configured
# Messages are queued in the database and delivered by the worker (retried when the mail
# server is down); CAIRN_EMAIL_URL decides how the worker delivers them.
EMAIL_BACKEND = "cairn.core.mail.OutboxBackend"
CAIRN_EMAIL_TRANSPORT = _email.backend
EMAIL_HOST = _email.host or "localhost"
EMAIL_PORT = _email.port or 25
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("CAIRN_EMAIL_FROM", _email.default_from or f"cairn@{SITE_HOST}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "manifest-src": ["'self'"],
    },
}

# How long a worker may go without a heartbeat before /healthz calls it stale.
WORKER_STALE_SECONDS = 120

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "CAIRN_LOG_LEVEL", "info", ("debug", "info", "warning", "error")
        ).upper(),
    },
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
