from django.urls import path

from attestation.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<int:examinee_id>/", views.new, name="new"),
    path("review/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/second-sitting/", views.second_sitting, name="second_sitting"),
    path("<int:pk>/pages/<int:page_id>/", views.answer_page, name="answer_page"),
    path("<int:pk>/answer.pdf", views.answer_pdf, name="answer_pdf"),
    path("<int:pk>/protocol.pdf", views.sitting_protocol, name="sitting_protocol"),
    path(
        "<int:pk>/appeal-protocol.pdf",
        views.appeal_protocol,
        {"fmt": "pdf"},
        name="appeal_protocol_pdf",
    ),
    path(
        "<int:pk>/appeal-protocol.docx",
        views.appeal_protocol,
        {"fmt": "docx"},
        name="appeal_protocol_docx",
    ),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
