"""Background work: invitations leave from `manage.py db_worker`, after the commit."""

from django_tasks import task

from attestation.proctoring.invitations import invitation_send


@task()
def invitation_task(examinee_id: int, force: bool = False) -> bool:
    return invitation_send(examinee_id=examinee_id, force=force)
