from django.apps import AppConfig


class ProctoringConfig(AppConfig):
    name = "attestation.proctoring"
