from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraduatesConfig(AppConfig):
    name = "attestation.graduates"
    verbose_name = _("Graduates")
