"""The worker sweeps orphaned media daily by itself: a sweep removes the orphans and enqueues
the next a day later; after migrate one sweep waits; never two."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from attestation.core.tasks import media_orphans_schedule, media_orphans_sweep

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting():
    return list(
        DBTaskResult.objects.filter(task_path=media_orphans_sweep.module_path, status="READY")
    )


def test_one_sweep_waits_and_a_second_schedule_adds_none(settings):
    settings.TASKS = DB_TASKS
    media_orphans_schedule()
    media_orphans_schedule()
    rows = waiting()
    assert len(rows) == 1
    assert rows[0].run_after > timezone.now() + timedelta(hours=23)


def test_a_sweep_removes_an_old_orphan_and_enqueues_the_next(settings, tmp_path):
    settings.TASKS = DB_TASKS
    settings.MEDIA_ROOT = tmp_path
    orphan = Path(tmp_path) / "answers" / "pages" / "left-by-a-crash.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"\xff\xd8 not committed")
    old = (timezone.now() - timedelta(hours=2)).timestamp()
    os.utime(orphan, (old, old))
    assert media_orphans_sweep.call() == 1
    assert not orphan.exists()
    assert len(waiting()) == 1


def test_tests_run_tasks_at_once_so_nothing_is_scheduled():
    assert media_orphans_schedule() is None
    assert waiting() == []
