"""Routes for exporting: vCard, CSV, iCalendar and the complete archive (and restoring it)."""

from django.urls import path

from cairn.exchange import views_export as views

urlpatterns = [
    path("export/", views.page, name="export"),
    path("export/archive.json", views.archive_json, name="export-archive"),
    path("export/people.vcf", views.people_vcf, name="export-vcard"),
    path("export/people.csv", views.people_csv, name="export-people-csv"),
    path("export/organisations.csv", views.organisations_csv, name="export-organisations-csv"),
    path("export/interactions.csv", views.interactions_csv, name="export-interactions-csv"),
    path("export/calendar.ics", views.calendar_ics, name="export-calendar"),
    path("archive/restore/", views.archive_restore, name="archive-restore"),
]
