from django.urls import path

from attestation.proctoring import checklist, guides, views

app_name = "proctoring"
urlpatterns = [
    path("examinees/<int:pk>/incidents/", views.incident_create, name="incident_create"),
    path("incidents/<int:pk>/decision/", views.incident_decide, name="incident_decide"),
    path("incidents/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("exam/<int:pk>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("sittings/<int:pk>/checklist/", checklist.checklist, name="checklist"),
    path("sittings/<int:pk>/invitations/", checklist.invitations, name="invitations_send"),
    path("examinees/<int:pk>/connection/", checklist.connection, name="connection_check"),
    path("prepare/", guides.prepare, name="prepare"),
    path("self-check/", guides.self_check, name="self_check"),
    path("self-check/probe/", guides.probe, name="probe"),
]
