from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "attestation.console"
    verbose_name = _("Secretary's console")
