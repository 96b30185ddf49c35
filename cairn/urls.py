from functools import wraps

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from cairn.api.app import api


def api_not_found(request):
    """Unknown API paths answer in the API's error shape, not with an HTML page."""
    return JsonResponse(
        {"error": "No such API endpoint: see /api/v1/docs.", "code": "not_found"}, status=404
    )


def json_method_errors(view):
    """A wrong method on an API path answers in the API's error shape, not in plain text."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            response = JsonResponse(
                {"error": f"{request.method} is not allowed here (use {allowed}).",
                 "code": "method_not_allowed"},
                status=405,
                headers={"Allow": allowed},
            )  # fmt: skip
        return response

    answer.csrf_exempt = True  # type: ignore[attr-defined]  (the API checks its tokens itself)
    return answer


api_patterns, api_app_name, api_namespace = api.urls
for pattern in api_patterns:
    pattern.callback = json_method_errors(pattern.callback)

urlpatterns = [
    path("", include("cairn.daily.urls")),
    path("accounts/", include("cairn.accounts.urls")),
    path("network/", include("cairn.network.urls")),
    path("exchange/", include("cairn.exchange.urls")),
    path("api/v1/", (api_patterns, api_app_name, api_namespace)),
    re_path(r"^api/", api_not_found),
    path("favicon.ico", RedirectView.as_view(url="/static/cairn/icons/favicon.svg")),
    path("", include("cairn.core.urls")),
]
