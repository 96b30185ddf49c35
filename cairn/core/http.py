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
