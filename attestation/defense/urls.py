from django.urls import path

app_name = "defense"
urlpatterns: list = []
