from django.urls import path

from attestation.cabinet import exam_views, views

app_name = "cabinet"
urlpatterns = [
    path("", views.home, name="home"),
    path("training/sac/", views.sac, name="sac"),
    path("training/sac/calendar.ics", views.sac_calendar, name="sac_calendar"),
    path("exam/<int:pk>/", exam_views.exam_room, name="exam_room"),
    path("exam/<int:pk>/entry/", exam_views.exam_entry, name="exam_entry"),
    path("exam/<int:pk>/state/", exam_views.exam_state_view, name="exam_state"),
    path("exam/<int:pk>/rules/", exam_views.exam_rules, name="exam_rules"),
    path("exam/<int:pk>/draw/", exam_views.exam_draw, name="exam_draw"),
    path("exam/<int:pk>/ticket/", exam_views.exam_ticket, name="exam_ticket"),
]
