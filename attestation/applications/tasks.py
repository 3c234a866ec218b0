"""Background work: the decision mail leaves from `manage.py db_worker`, after the commit."""

from django_tasks import task

from attestation.applications.mail import decision_mail_send


@task()
def decision_mail_task(application_id: int) -> int:
    return decision_mail_send(application_id=application_id)
