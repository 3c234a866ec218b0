from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`manage.py demo`: a live demo built relative to now (CONTRACT.md). It sits on top of the
    domain apps it fills, so that `core` stays the ground floor that imports none of them."""

    name = "attestation.demo"
    verbose_name = _("Demo")
