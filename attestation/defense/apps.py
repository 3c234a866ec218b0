from django.apps import AppConfig


class DefenseConfig(AppConfig):
    name = "attestation.defense"
