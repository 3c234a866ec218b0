from django.urls import path

from attestation.console import views

app_name = "console"
urlpatterns = [
    path("sittings/", views.sittings, name="sittings"),
    path("sittings/<int:pk>/", views.sitting_detail, name="sitting"),
]
