from django.urls import path

from attestation.graduates import views

app_name = "graduates"
urlpatterns = [
    path("", views.index, name="index"),
    path("commissions/<int:pk>/", views.commission, name="commission"),
    path("commissions/<int:pk>/studies-end.xlsx", views.expulsion_xlsx, name="expulsion_xlsx"),
    path("commissions/<int:pk>/awarded.xlsx", views.awarded_xlsx, name="awarded_xlsx"),
]
