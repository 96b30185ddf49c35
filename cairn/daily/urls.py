from django.urls import path

from cairn.daily import views

app_name = "daily"

urlpatterns = [
    path("", views.today, name="today"),
]
