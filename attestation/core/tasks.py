"""The daily sweep of orphaned media files, run by the background worker itself: each sweep
removes what `manage.py media_orphans` would list and enqueues the next one a day later.
The first is enqueued after `migrate` (CoreConfig), so every deployment that runs the worker
sweeps without a cron entry; the command stays for a sweep by hand."""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from attestation.core.management.commands.media_orphans import media_orphans

EVERY = timedelta(days=1)
MIN_AGE = timedelta(hours=1)  # an upload whose transaction is still open is never an orphan


@task()
def media_orphans_sweep() -> int:
    orphans = media_orphans(min_age=MIN_AGE)
    for name in orphans:
        default_storage.delete(name)
    media_orphans_schedule(after=EVERY)
    return len(orphans)


def media_orphans_schedule(*, after: timedelta = EVERY):
    """Enqueue the next sweep unless one is already waiting. Nothing where the backend runs
    tasks at once (tests, TASKS_IMMEDIATE): a sweep there would enqueue itself forever."""
    if not media_orphans_sweep.get_backend().supports_defer:
        return None
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=media_orphans_sweep.module_path, status=TaskResultStatus.READY
    )
    if waiting.exists():
        return None
    return media_orphans_sweep.using(run_after=timezone.now() + after).enqueue()
