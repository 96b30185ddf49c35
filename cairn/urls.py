from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from cairn.api.app import api


def api_not_found(request):
    """Unknown API paths answer in the API's error shape, not with an HTML page."""
    return JsonResponse(
        {"error": "No such API endpoint: see /api/v1/docs.", "code": "not_found"}, status=404
    )


urlpatterns = [
    path("", include("cairn.daily.urls")),
    path("accounts/", include("cairn.accounts.urls")),
    path("network/", include("cairn.network.urls")),
    path("exchange/", include("cairn.exchange.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("favicon.ico", RedirectView.as_view(url="/static/cairn/icons/favicon.svg")),
    path("", include("cairn.core.urls")),
]
