from django.urls import include, path
from django.views.generic import RedirectView

from cairn.api.app import api

urlpatterns = [
    path("", include("cairn.daily.urls")),
    path("accounts/", include("cairn.accounts.urls")),
    path("network/", include("cairn.network.urls")),
    path("api/v1/", api.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/cairn/icons/favicon.svg")),
    path("", include("cairn.core.urls")),
]
