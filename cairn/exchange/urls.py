from cairn.exchange import urls_export, urls_import

app_name = "exchange"

# Importing and exporting are built side by side; each keeps its own routes.
urlpatterns = [*urls_import.urlpatterns, *urls_export.urlpatterns]
