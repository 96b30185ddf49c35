"""Routes for digests, notifications and the calendar feed."""

urlpatterns: list = []
