"""Response helpers shared by views: one rule for htmx and plain form posts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def redirect_or_partial(
    request: HttpRequest,
    to: str,
    *,
    template: str,
    context: dict[str, Any] | None = None,
    **url_kwargs: Any,
) -> HttpResponse:
    """After a change: htmx gets the re-rendered partial, a plain POST a 303 redirect."""
    if getattr(request, "htmx", False):
        return render(request, template, context or {})
    response = redirect(to, **url_kwargs)
    response.status_code = 303
    return response


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind a trusted proxy (CAIRN_BEHIND_PROXY) that is the last
    address the proxy appended to X-Forwarded-For — earlier entries are the client's own
    claims and cannot be trusted; otherwise it is the connection's address."""
    from django.conf import settings

    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:45]
    return request.META.get("REMOTE_ADDR")
