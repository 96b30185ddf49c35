"""Routes for digests, notifications and the calendar feed."""

from django.urls import path, re_path

from cairn.daily import notify_views

urlpatterns = [
    path("reminders/digest/", notify_views.digest_settings, name="digest-settings"),
    path("reminders/notify/", notify_views.notify_urls, name="notify-urls"),
    path("reminders/notify/test/", notify_views.notify_test, name="notify-test"),
    path("reminders/calendar/", notify_views.calendar_create, name="calendar-create"),
    path("reminders/calendar/revoke/", notify_views.calendar_revoke, name="calendar-revoke"),
    # The secret is the whole credential: a shape check first, so that no other path is
    # looked up at all.
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$",
        notify_views.calendar_feed,
        name="calendar-feed",
    ),
]
