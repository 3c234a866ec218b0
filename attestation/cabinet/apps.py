from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CabinetConfig(AppConfig):
    name = "attestation.cabinet"
    verbose_name = _("Student's cabinet")
