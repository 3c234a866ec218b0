from django.urls import path

from attestation.live import views

app_name = "live"
urlpatterns = [
    path("sittings/<int:pk>/", views.sitting, name="sitting"),
    path("sittings/<int:pk>/live/", views.sitting_live, name="sitting_live"),
    path("sittings/<int:pk>/next/", views.call_next, name="call_next"),
    path("examinees/<int:pk>/finish/", views.finish, name="finish"),
    path("examinees/<int:pk>/score/", views.score, name="score"),
    path("me/<int:pk>/", views.student_live, name="student_live"),
]
