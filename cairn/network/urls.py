from django.urls import path

from cairn.network import views

app_name = "network"

urlpatterns = [
    path("", views.people, name="people"),
    path("people/bulk/", views.people_bulk, name="people-bulk"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/suggest/", views.people_suggest, name="people-suggest"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person-delete"),
    path("people/<int:pk>/restore/", views.person_restore, name="person-restore"),
    path("people/<int:pk>/merge/", views.person_merge, name="person-merge"),
    path("people/<int:pk>/interactions/", views.interaction_log, name="interaction-log"),
    path("people/<int:pk>/favours/", views.favour_add, name="favour-add"),
    path("people/<int:pk>/events/", views.event_add, name="event-add"),
    path("people/<int:pk>/roles/", views.role_add, name="role-add"),
    path("events/<int:pk>/congratulate/", views.event_congratulate, name="event-congratulate"),
    path("interactions/<int:pk>/done/", views.follow_up_done, name="follow-up-done"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation-new"),
    path("organisations/suggest/", views.organisations_suggest, name="organisations-suggest"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<int:pk>/target/", views.organisation_target, name="organisation-target"),
    path("add/", views.quick_add, name="quick-add"),
    path("add/confirm/", views.quick_add_confirm, name="quick-add-confirm"),
    path("jogger/", views.jogger, name="jogger"),
    path("jogger/restart/", views.jogger_restart, name="jogger-restart"),
    path("jogger/<slug:slug>/", views.jogger_category, name="jogger-category"),
    path("jogger/<slug:slug>/add/", views.jogger_add, name="jogger-add"),
    path("jogger/<slug:slug>/skip/", views.jogger_skip, name="jogger-skip"),
    path("rotation/", views.rotation, name="rotation"),
    path("rotation/settings/", views.rotation_configure, name="rotation-configure"),
    path("rotation/people/", views.rotation_people, name="rotation-people"),
    path("rotation/people/bulk/", views.rotation_bulk, name="rotation-bulk"),
    path("rotation/people/<int:pk>/", views.rotation_member, name="rotation-member"),
    path("rotation/people/<int:pk>/log/", views.rotation_log, name="rotation-log"),
    path("who/", views.who, name="who"),
]
