from django.urls import path

from attestation.records import views

app_name = "records"
urlpatterns = [
    path("sittings/<int:pk>/", views.sitting_protocols, name="sitting"),
    path("protocols/<int:pk>.pdf", views.protocol_download, {"fmt": "pdf"}, name="pdf"),
    path("protocols/<int:pk>.docx", views.protocol_download, {"fmt": "docx"}, name="docx"),
    path("protocols/<int:pk>/sign/", views.protocol_sign, name="sign"),
    path(
        "protocols/<int:pk>/characterisation/",
        views.protocol_characterise,
        name="characterise",
    ),
]
