from django.urls import path

from cairn.daily import urls_notify, urls_practice, views

app_name = "daily"

urlpatterns = [
    path("", views.today, name="today"),
    path("today/more/", views.more, name="more"),
    path("today/items/<int:pk>/done/", views.item_done, name="item-done"),
    path("today/items/<int:pk>/snooze/", views.item_snooze, name="item-snooze"),
    path("today/items/<int:pk>/skip/", views.item_skip, name="item-skip"),
    path("today/items/<int:pk>/less-often/", views.item_less_often, name="item-less-often"),
    path("today/due/", views.due, name="due"),
    path("today/due/done/", views.due_done, name="due-done"),
    path("today/due/snooze/", views.due_snooze, name="due-snooze"),
    path("today/due/skip/", views.due_skip, name="due-skip"),
    path("today/due/less-often/", views.due_less_often, name="due-less-often"),
    *urls_practice.urlpatterns,
    *urls_notify.urlpatterns,
]
