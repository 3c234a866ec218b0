from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "attestation.conference"
    verbose_name = _("Video conference")
