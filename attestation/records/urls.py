from django.urls import path

from attestation.records import report_views, views

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
    path("commissions/<int:pk>/report/", report_views.chair_report, name="report"),
    path(
        "commissions/<int:pk>/report/remarks/",
        report_views.chair_report_remarks,
        name="report_remarks",
    ),
    path("commissions/<int:pk>/report/sign/", report_views.chair_report_sign, name="report_sign"),
    path(
        "report-copies/<int:pk>.pdf",
        report_views.chair_report_copy_download,
        {"fmt": "pdf"},
        name="report_copy_pdf",
    ),
    path(
        "report-copies/<int:pk>.docx",
        report_views.chair_report_copy_download,
        {"fmt": "docx"},
        name="report_copy_docx",
    ),
    path(
        "commissions/<int:pk>/report.pdf",
        report_views.chair_report_download,
        {"fmt": "pdf"},
        name="report_pdf",
    ),
    path(
        "commissions/<int:pk>/report.docx",
        report_views.chair_report_download,
        {"fmt": "docx"},
        name="report_docx",
    ),
]
