from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefenseConfig(AppConfig):
    name = "attestation.defense"
    verbose_name = _("Defences")
