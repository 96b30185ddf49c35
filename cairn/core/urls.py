from django.urls import path

from cairn.core import views

app_name = "core"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("add/", views.quick_add, name="quick-add"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("<slug:slug>/", views.area, name="area"),
]
