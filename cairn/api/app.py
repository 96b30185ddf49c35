"""The REST API: token authentication, one error shape, and the resource routers."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from cairn import __version__
from cairn.accounts.services import api_token_authenticate
from cairn.core.errors import DomainError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
STATUS_FOR_CODE = {"not_found": 404, "forbidden": 403, "exists": 409, "conflict": 409}


class ReadOnlyToken(Exception):
    pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cairn_…`; a read-only token may only read."""

    def authenticate(self, request: HttpRequest, token: str):
        found = api_token_authenticate(secret=token, now=timezone.now())
        if found is None:
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken()
        request.user = found.owner
        request.api_token = found  # type: ignore[attr-defined]
        return found.owner


api = NinjaAPI(
    title="Cairn API",
    version=__version__,
    description=(
        "Everything in Cairn, for scripts. Authenticate with a token from Settings → API "
        "tokens: `Authorization: Bearer cairn_…`. Errors always have the shape "
        '`{"error": "what went wrong", "code": "machine_word"}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, message: str, code: str, status: int, **extra):
    return api.create_response(request, {"error": message, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    extra = {"field": exc.field} if exc.field else {}
    return _error(request, exc.message, exc.code, STATUS_FOR_CODE.get(exc.code, 400), **extra)


def _field_name(location) -> str:
    """`daily_action_count` rather than ninja's `body.payload.daily_action_count`.

    Ninja prefixes the source (body, query, path) and, for a schema, the Python parameter's
    name: neither is part of the API a client sees.
    """
    parts = list(location)[1:]
    if len(parts) > 1 and isinstance(parts[0], str):
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    details = [
        {"field": _field_name(error.get("loc", ())), "message": error["msg"]}
        for error in exc.errors
    ]
    first = details[0] if details else {"field": "", "message": "invalid input"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return _error(request, message, "validation", 422, details=details)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    response = _error(request, "A valid API token is required.", "unauthenticated", 401)
    response["WWW-Authenticate"] = 'Bearer realm="cairn"'  # required with every 401
    return response


@api.exception_handler(ReadOnlyToken)
def on_read_only(request, exc):
    return _error(request, "This token is read-only.", "read_only", 403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, "Not found.", "not_found", 404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, str(exc), "error", exc.status_code)


def _register_routers() -> None:
    from cairn.api import (
        exports,
        imports,
        interactions,
        ledger,
        links,
        me,
        organisations,
        people,
        roles,
        search,
        today,
    )

    for module in (
        me, people, organisations, roles, interactions, ledger, links, search, today, imports,
        exports,
    ):  # fmt: skip
        api.add_router("/", module.router)


_register_routers()
