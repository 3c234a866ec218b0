from django.urls import path

from attestation.defense import dossier_views, views

app_name = "defense"
urlpatterns = [
    path("examinees/<int:pk>/thesis/", views.thesis, name="thesis"),
    path("examinees/<int:pk>/thesis.pdf", views.thesis_pdf, name="thesis_pdf"),
    path("examinees/<int:pk>/dossier/", dossier_views.dossier, name="dossier"),
    path(
        "examinees/<int:pk>/dossier/<str:name>.pdf",
        dossier_views.dossier_file,
        name="dossier_file",
    ),
    path("department/", dossier_views.department, name="department"),
    path("examinees/<int:pk>/upload/<str:kind>/", views.staff_upload, name="staff_upload"),
    path("examinees/<int:pk>/questions/", views.question_post, name="question_post"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("examinees/<int:pk>/interruption/", views.interruption_report, name="interrupt"),
    path("interruptions/<int:pk>/decision/", views.interruption_resolve, name="resolve"),
]
