from django.urls import path

from attestation.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/<slug:kind>/", views.upload, name="upload"),
    path("templates/<slug:kind>.<slug:fmt>", views.template_download, name="template"),
    path("imports/<int:pk>/", views.job_detail, name="job"),
    path("imports/<int:pk>/status/", views.job_status, name="job_status"),
]
