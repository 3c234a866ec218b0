from django.urls import path

from attestation.defense import views

app_name = "defense"
urlpatterns = [
    path("examinees/<int:pk>/thesis/", views.thesis, name="thesis"),
    path("examinees/<int:pk>/thesis.pdf", views.thesis_pdf, name="thesis_pdf"),
    path("examinees/<int:pk>/<str:kind>-review.pdf", views.thesis_pdf, name="review_pdf"),
    path("examinees/<int:pk>/upload/<str:kind>/", views.staff_upload, name="staff_upload"),
    path("examinees/<int:pk>/questions/", views.question_post, name="question_post"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("examinees/<int:pk>/interruption/", views.interruption_report, name="interrupt"),
    path("interruptions/<int:pk>/decision/", views.interruption_resolve, name="resolve"),
]
