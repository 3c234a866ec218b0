from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProctoringConfig(AppConfig):
    name = "attestation.proctoring"
    verbose_name = _("Proctoring")
