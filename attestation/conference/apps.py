from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "attestation.conference"
