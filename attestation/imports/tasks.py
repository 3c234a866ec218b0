"""Background work: an import runs in `manage.py db_worker`, away from the request."""

from django_tasks import task

from attestation.imports.services import import_job_run


@task()
def import_job_task(job_id: int) -> str:
    return import_job_run(job_id=job_id).status
