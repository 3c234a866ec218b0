from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

from attestation.accounts.views import set_language
from attestation.api.urls import api
from attestation.core import views as core_views

urlpatterns = [
    path("", lambda request: redirect(f"/{settings.LANGUAGE_CODE}/")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", include("attestation.cabinet.urls")),
    path("accounts/", include("attestation.accounts.urls")),
    path("staff/", include("attestation.console.urls")),
    path("answers/", include("attestation.answers.urls")),
    path("grading/", include("attestation.grading.urls")),
    path("proctoring/", include("attestation.proctoring.urls")),
    path("notices/", include("attestation.notices.urls")),
    path("live/", include("attestation.live.urls")),
    path("defense/", include("attestation.defense.urls")),
    path("applications/", include("attestation.applications.urls")),
    path("records/", include("attestation.records.urls")),
    path("graduates/", include("attestation.graduates.urls")),
    path("conference/", include("attestation.conference.urls")),
    path("registrar/", include("attestation.imports.urls")),
    path("registrar/audit/", include("attestation.audit.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
