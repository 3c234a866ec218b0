from django.urls import path

from attestation.conference import views

app_name = "conference"
urlpatterns = [
    path("sittings/<int:pk>/", views.sitting_conference, name="sitting"),
    path("sittings/<int:pk>/set/", views.conference_set, name="set"),
    path("sittings/<int:pk>/join/", views.conference_join, name="join"),
]
