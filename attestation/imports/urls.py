from django.urls import path

from attestation.imports import views

app_name = "imports"
urlpatterns = [path("", views.home, name="home")]
