"""django-tasks-db's app under a name in the reader's language: the registrar's admin lists it,
and its own label ("Tasks Database Backend") is English and untranslated. Label and models
stay django-tasks-db's, so its migrations are unchanged."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")
