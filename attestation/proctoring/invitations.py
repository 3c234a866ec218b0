"""The day before (R-5.1): the invitation with the conference link, the time, the rules and
an .ics file, by mail and in the student's notices, in the student's language; and the
secretary's check that the student can connect."""

import logging
import smtplib
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from attestation.audit.services import log_action
from attestation.cabinet.ics import calendar, examinee_event
from attestation.commissions.models import Examinee, Sitting
from attestation.commissions.services import examinee_locked
from attestation.notices.services import notice_create

log = logging.getLogger(__name__)
S = Examinee.Status
# Nobody is invited to a sitting they have left.
NOT_INVITED = (S.ABSENT_VALID, S.MOVED, S.TERMINATED, S.DONE)
RETRIES = 3


def _site() -> str:
    """The public address for links in mail (SITE_URL, e.g. https://attestation.example.kz)."""
    return getattr(settings, "SITE_URL", "").rstrip("/")


def _ics(examinee: Examinee) -> str:
    return calendar([examinee_event(examinee)])


def _send(message: EmailMultiAlternatives) -> None:
    """Send with a few retries: an SMTP server that hiccups must not lose an invitation."""
    for attempt in range(1, RETRIES + 1):
        try:
            message.send()
            return
        except (smtplib.SMTPException, OSError):
            log.warning("invitation mail failed (attempt %s of %s)", attempt, RETRIES)
            if attempt == RETRIES:
                raise
            time.sleep(getattr(settings, "INVITATIONS_RETRY_SECONDS", 5) * attempt)


def invitation_send(*, examinee_id: int, force: bool = False) -> bool:
    """Mail the invitation and add the notice; mark `invitation_sent_at`. Without `force`, a
    student already invited is skipped (the automatic run is idempotent). False if skipped."""
    examinee = (
        Examinee.objects.select_related("sitting__commission", "student__user")
        .filter(pk=examinee_id)
        .first()
    )
    if examinee is None or examinee.status in NOT_INVITED:
        return False
    if examinee.invitation_sent_at and not force:
        return False
    user = examinee.student.user
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        sitting = examinee.sitting
        context = {
            "examinee": examinee,
            "sitting": sitting,
            "student": user,
            "room_url": _site() + reverse("cabinet:exam_room", args=[examinee.pk]),
            "prepare_url": _site() + reverse("proctoring:prepare"),
            "university_name": settings.UNIVERSITY_NAME,
        }
        subject = " ".join(
            render_to_string("proctoring/mail/invitation_subject.txt", context).split()
        )
        body = render_to_string("proctoring/mail/invitation_body.txt", context)
        ics = _ics(examinee)
    if user.email:
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach("attestation.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
        _send(message)
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        notice_create(user=user, title=subject, body=body, url=context["room_url"])
        examinee.invitation_sent_at = timezone.now()
        examinee.save(update_fields=["invitation_sent_at"])
        log_action(
            actor=None,
            action="examinee.invitation",
            target=examinee,
            to_state="sent",
            data={"email": bool(user.email), "language": language},
        )
    return True


def invitations_send(*, sitting: Sitting, actor, only_unsent: bool = False) -> int:
    """The secretary's "Send invitations" for a whole sitting (R-5.1): queued after the
    commit, one task per student. Returns how many were queued."""
    from attestation.proctoring.tasks import invitation_task

    with transaction.atomic():
        examinees = sitting.examinees.exclude(status__in=NOT_INVITED)
        if only_unsent:
            examinees = examinees.filter(invitation_sent_at__isnull=True)
        ids = list(examinees.values_list("pk", flat=True))
        log_action(
            actor=actor,
            action="sitting.invitations",
            target=sitting,
            data={"examinees": len(ids), "automatic": actor is None},
        )
        force = not only_unsent
        for pk in ids:
            transaction.on_commit(lambda pk=pk: invitation_task.enqueue(pk, force))
    return len(ids)


def sittings_due(now: datetime | None = None):
    """Sittings that start tomorrow (server time zone), once the configured hour has come."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < getattr(settings, "INVITATIONS_HOUR", 10):
        return Sitting.objects.none()
    tomorrow = now.date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    return Sitting.objects.filter(
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
        status=Sitting.Status.SCHEDULED,
    )


def connection_check_record(*, examinee: Examinee, actor, ok: bool, note: str = "") -> Examinee:
    """The secretary checked that the student can connect to the conference (R-5.1)."""
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        examinee.connection_checked_at = timezone.now()
        examinee.connection_ok = ok
        examinee.connection_note = note.strip()[:500]
        examinee.save(update_fields=["connection_checked_at", "connection_ok", "connection_note"])
        log_action(
            actor=actor,
            action="examinee.connection",
            target=examinee,
            to_state="fine" if ok else "problem",
            reason=examinee.connection_note,
        )
    return examinee
