"""Background work: the results mail leaves from `manage.py db_worker`, after the commit."""

from django_tasks import task

from attestation.grading.mail import result_mail_send


@task()
def result_mail_task(examinee_id: int, changed: bool = False, previous: int | None = None) -> bool:
    return result_mail_send(examinee_id=examinee_id, changed=changed, previous=previous)
