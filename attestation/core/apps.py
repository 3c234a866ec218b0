from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sweep_scheduled(sender, **kwargs):
    # Once per migrate, when the task table exists: the worker's daily sweep (core/tasks.py).
    if sender.label == "django_tasks_database":
        from attestation.core.tasks import media_orphans_schedule

        media_orphans_schedule(after=timedelta(hours=1))


class CoreConfig(AppConfig):
    name = "attestation.core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(_sweep_scheduled, dispatch_uid="media_orphans_sweep")
