"""Background work: the department hears of a new thesis (R-19.1)."""

from django_tasks import task

from attestation.defense.mail import thesis_mail_send


@task()
def thesis_mail_task(thesis_id: int) -> bool:
    return thesis_mail_send(thesis_id=thesis_id)
