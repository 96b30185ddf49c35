"""Routes for importing contacts and archives."""

from django.urls import path

from cairn.exchange import views_import as views

urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.upload, name="import-upload"),
    path("import/<int:pk>/", views.batch_detail, name="import-detail"),
    path("import/<int:pk>/choose/", views.batch_decide, name="import-decide"),
    path("import/<int:pk>/choose-all/", views.batch_decide_all, name="import-decide-all"),
    path("import/<int:pk>/commit/", views.batch_commit, name="import-commit"),
    path("import/<int:pk>/discard/", views.batch_discard, name="import-discard"),
    path("import/<int:pk>/undo/", views.batch_undo, name="import-undo"),
]
