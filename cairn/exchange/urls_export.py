"""Routes for exporting: vCard, CSV, iCalendar and the complete archive."""

urlpatterns: list = []
