from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "attestation.records"
    verbose_name = "Records"
