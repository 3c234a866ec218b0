from django.urls import path

from attestation.answers import views

app_name = "answers"
urlpatterns = [
    path("<int:examinee_id>/", views.student_page, name="student"),
    path("<int:examinee_id>/answer.pdf", views.answer_pdf, name="pdf"),
    path("page/<int:page_id>/", views.page_image, name="page_image"),
    path("phone/<str:token>/", views.phone, name="phone"),
    path("phone/<str:token>/page/<int:page_id>/", views.phone_page_image, name="phone_page_image"),
]
