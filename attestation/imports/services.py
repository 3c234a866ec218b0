"""The registrar's imports: queue a file, then check every row and apply all of it or nothing.

`import_job_create` (in the request) saves the file and queues `import_job_run` (in the
worker, `manage.py db_worker`; immediately in tests). The run has two passes: it checks every
row, collecting every problem, and only when there is none it saves everything in one
transaction. Slow preparation (password hashing) happens between the two, outside the
transaction, so that progress can be seen and the database is locked only briefly.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.imports.columns import Problems, Sheet
from attestation.imports.kinds import KINDS, ImportConflict
from attestation.imports.models import ImportJob
from attestation.imports.reading import ImportFileError, detect_format, read_table

logger = logging.getLogger(__name__)

# Progress is written every this many rows: often enough for a bar, rarely enough not to
# slow the import down with writes.
PROGRESS_EVERY = 100
# A wrong file can have a problem in every row; the page shows this many.
PROBLEMS_KEPT = 500


def upload_check(*, upload: UploadedFile) -> None:
    """Refuse what cannot be an import before it is stored: empty, too large, not XLSX/CSV."""
    if not upload.size:
        raise ImportFileError(_("The file is empty."))
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is too large: %(size)s MB, at most %(limit)s MB.")
            % {
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": round(settings.IMPORT_MAX_BYTES / 1024 / 1024, 1),
            }
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    detect_format(head=head, name=upload.name or "")


def import_job_create(*, kind: str, upload: UploadedFile, user, language: str) -> ImportJob:
    """Store the uploaded file as a queued job; the import starts once this commits."""
    from attestation.imports.tasks import import_job_task

    if kind not in KINDS:
        raise ValueError(kind)
    upload_check(upload=upload)
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            original_name=(upload.name or "")[:255],
            file_size=upload.size,
            language=language,
            created_by=user,
        )
        job.file.save(upload.name or "import", upload, save=False)
        job.save()
        transaction.on_commit(partial(import_job_task.enqueue, job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued job to `done` or `failed`. All or nothing: when any row has a problem,
    or the file cannot be read, nothing is changed and every problem is kept on the job.
    A job that is no longer queued (a task delivered twice) is left as it is."""
    started = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.VALIDATING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not started:
        return job
    kind = KINDS[job.kind]
    problems = Problems()
    with translation.override(job.language):
        try:
            table = read_table(data=_read(job), name=job.original_name)
            sheet = Sheet(table, kind.columns, problems)
            _update(job, rows_total=len(sheet), rows_done=0)
            plan = kind.check(sheet, _progress(job))
            if problems:
                return _fail(job, problems)
            _update(job, status=ImportJob.Status.APPLYING, rows_done=0)
            kind.prepare(plan, _progress(job))
            # Inside the transaction progress cannot be seen by others: the bar stays full
            # («saving») until the commit.
            _update(job, rows_done=job.rows_total)
            with transaction.atomic():
                outcome = kind.apply(plan)
                job.status = ImportJob.Status.DONE
                job.rows_done = job.rows_total
                job.counts = outcome.counts
                if outcome.warnings:
                    job.counts = {**outcome.counts, "warnings": outcome.warnings}
                job.preview = outcome.preview
                job.finished_at = timezone.now()
                job.save()
                log_action(
                    actor=job.created_by,
                    action=f"import.{job.kind}",
                    target=job,
                    to_state=job.status,
                    data={"rows": job.rows_total, **outcome.counts},
                )
            return job
        except (ImportFileError, ImportConflict) as error:
            problems.add(None, "", error.message)
        except IntegrityError:
            logger.warning("Import %s collided with another change", job.pk, exc_info=True)
            problems.add(None, "", _("The data changed while importing. Import the file again."))
        except Exception:
            logger.exception("Import %s failed", job.pk)
            problems.add(
                None, "", _("The import stopped on an unexpected error. Nothing was changed.")
            )
        finally:
            _discard_file(job)
        return _fail(job, problems)


def _read(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        data = handle.read(settings.IMPORT_MAX_BYTES + 1)
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is too large."))
    return data


def _update(job: ImportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _progress(job: ImportJob):
    def tick(done: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == job.rows_total:
            _update(job, rows_done=done)

    return tick


def _fail(job: ImportJob, problems: Problems) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    # In the order of the file: a registrar fixes it from top to bottom.
    ordered = sorted(problems.items, key=lambda problem: problem["row"] or 0)
    job.problems = ordered[:PROBLEMS_KEPT]
    job.counts = {"problems": len(problems)}
    job.finished_at = timezone.now()
    job.save()
    log_action(
        actor=job.created_by,
        action=f"import.{job.kind}",
        target=job,
        to_state=job.status,
        reason="\n".join(problem["text"] for problem in ordered[:10]),
        data={"rows": job.rows_total, "problems": len(problems)},
    )
    return job


def _discard_file(job: ImportJob) -> None:
    """The file may carry passwords and ID numbers: it is kept only while it is needed."""
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
