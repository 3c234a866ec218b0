"""The result, by mail, in the student's language (R-16.1, R-26.1)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from attestation.commissions.models import Examinee
from attestation.core.links import absolute_reverse
from attestation.grading.scale import grade_for
from attestation.notices.services import notice_create


def result_mail_send(
    *, examinee_id: int, changed: bool = False, previous: int | None = None
) -> bool:
    """Tell the student their announced result (or its change), in the cabinet's notices and by
    mail. Reads the grade as it is now, so a change made before the mail leaves is the one
    sent. False if no mail was sent (no result, or no address: the notice is there anyway)."""
    examinee = (
        Examinee.objects.select_related("sitting__commission", "student__user")
        .filter(pk=examinee_id)
        .first()
    )
    if examinee is None or examinee.final_score is None or examinee.sitting.announced_at is None:
        return False
    user = examinee.student.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "student": user,
            "grade": grade_for(examinee.final_score),
            "previous": grade_for(previous) if previous is not None else None,
            "changed": changed,
            "university_name": settings.UNIVERSITY_NAME,
            # The cabinet's SAC page shows the result; in the student's language.
            "result_url": absolute_reverse("cabinet:sac"),
        }
        subject = render_to_string("grading/mail/result_subject.txt", context)
        body = render_to_string("grading/mail/result_body.txt", context)
        url = reverse("cabinet:sac")
    notice_create(user=user, title=" ".join(subject.split()), body=body, url=url)
    if not user.email:
        return False
    send_mail(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    return True
