"""Files in the media storage that no row refers to: left by a process killed between writing
a file and committing its row, or by an interrupted upload's temporary file. Lists them;
`--delete` removes them. The worker sweeps daily by itself (core/tasks.py); this is the
sweep by hand.

Only files older than `--min-age-minutes` (default 60) are touched, so an
upload whose transaction is still open is never taken for an orphan."""

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from attestation.core.storage import TEMP_PREFIX


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.concrete:
                values = model._default_manager.exclude(**{field.name: ""}).values_list(
                    field.name, flat=True
                )
                names.update(v for v in values.iterator() if v)
    return names


def stored_names(storage, path: str = ""):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from stored_names(storage, f"{path}/{directory}" if path else directory)


def media_orphans(*, min_age: timedelta, storage=default_storage) -> list[str]:
    """Names of orphaned files older than `min_age`. The rows are read after the files are
    listed: a file listed before its row committed is then seen as referenced."""
    try:
        stored = list(stored_names(storage))
    except FileNotFoundError:  # no upload yet: MEDIA_ROOT not even created
        return []
    referenced = referenced_names()
    cutoff = timezone.now() - min_age
    orphans = []
    for name in stored:
        base = name.rsplit("/", 1)[-1]
        if name in referenced and not base.startswith(TEMP_PREFIX):
            continue
        try:
            if storage.get_modified_time(name) > cutoff:
                continue
        except FileNotFoundError:
            continue
        orphans.append(name)
    return sorted(orphans)


class Command(BaseCommand):
    help = "List (and with --delete remove) uploaded files that no row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove them")
        parser.add_argument("--min-age-minutes", type=int, default=60)

    def handle(self, *args, delete: bool, min_age_minutes: int, **options):
        orphans = media_orphans(min_age=timedelta(minutes=min_age_minutes))
        for name in orphans:
            self.stdout.write(name)
            if delete:
                default_storage.delete(name)
        verb = "removed" if delete else "found"
        self.stderr.write(f"{len(orphans)} orphaned file(s) {verb}.")
