"""Routes for importing contacts and archives."""

urlpatterns: list = []
