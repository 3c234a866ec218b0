from django.urls import path

from attestation.cabinet import views

app_name = "cabinet"
urlpatterns = [
    path("", views.home, name="home"),
    path("training/sac/", views.sac, name="sac"),
    path("training/sac/calendar.ics", views.sac_calendar, name="sac_calendar"),
]
