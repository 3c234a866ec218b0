"""The decision, by mail and as an in-app notice, in each recipient's language: the student,
and for an absence the commission's technical secretaries (they keep the next sitting's list);
for a repeat attestation placed in a sitting, that sitting's secretaries."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from attestation.applications.models import Application
from attestation.commissions.models import Membership
from attestation.grading.scale import grade_for
from attestation.notices.services import notice_create


def decision_mail_send(*, application_id: int) -> int:
    """Tell each recipient the decision (a notice always, mail when they have an address);
    returns how many mails left."""
    application = (
        Application.objects.select_related(
            "examinee__sitting__commission", "examinee__student__user", "new_sitting"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status == Application.Status.SUBMITTED:
        return 0
    recipients = [(application.examinee.student.user, "student")]
    if application.kind == Application.Kind.ABSENCE:
        secretaries = Membership.objects.filter(
            commission_id=application.examinee.sitting.commission_id,
            role=Membership.Role.SECRETARY,
        ).select_related("user")
        recipients += [(m.user, "secretary") for m in secretaries]
    elif application.kind == Application.Kind.REPEAT and application.new_sitting_id:
        secretaries = Membership.objects.filter(
            commission_id=application.new_sitting.commission_id,
            role=Membership.Role.SECRETARY,
        ).select_related("user")
        recipients += [(m.user, "secretary") for m in secretaries]
    sent = 0
    for user, audience in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "application": application,
                "examinee": application.examinee,
                "sitting": application.examinee.sitting,
                "recipient": user,
                "audience": audience,
                "old_grade": _grade(application.old_score),
                "new_grade": _grade(application.new_score),
                "university_name": settings.UNIVERSITY_NAME,
            }
            subject = render_to_string("applications/mail/decision_subject.txt", context)
            body = render_to_string("applications/mail/decision_body.txt", context)
            url = _link(application, audience)
        notice_create(user=user, title=" ".join(subject.split()), body=body, url=url)
        if not user.email:
            continue
        send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent


def _grade(score):
    return grade_for(score) if score is not None else None


def _link(application: Application, audience: str) -> str:
    if audience == "student":
        return reverse("applications:mine")
    sitting = application.new_sitting_id or application.examinee.sitting_id
    return reverse("console:sitting", kwargs={"pk": sitting})
