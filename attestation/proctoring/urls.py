from django.urls import path

app_name = "proctoring"
urlpatterns: list = []
