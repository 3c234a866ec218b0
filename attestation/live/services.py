"""The live queue's state changes (R-13.1, R-21.1, R-24.1): calling the next examinee by the
list and finishing one's questioning. Keyword-only, one transaction each, audited.

Concurrency: every change locks the sitting row first (PostgreSQL: FOR UPDATE OF the sitting;
SQLite: the IMMEDIATE transaction already holds the write lock), so two "call next" clicks run
one after the other. The caller also says whom they saw answering (`expected_current_id`): the
second of two simultaneous clicks finds the queue already moved and is refused, instead of
finishing the examinee the first click has just called.
"""

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions.access import roles_in
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.commissions.services import examinee_status_change
from attestation.core.errors import DomainError
from attestation.live.queue import READY, not_ready_count, not_ready_message, questioning_start

S = Examinee.Status
CALLERS = (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def _lock_sitting(sitting_id: int) -> Sitting:
    return (
        Sitting.objects.select_for_update(of=("self",), no_key=True)
        .select_related("commission")
        .get(pk=sitting_id)
    )


def require_caller(actor, sitting: Sitting) -> None:
    if not roles_in(actor, sitting.commission) & set(CALLERS):
        raise DomainError(
            _("Only the chair or the technical secretary runs the queue."), "forbidden", 403
        )


def require_live(sitting: Sitting) -> None:
    if sitting.form not in READY:
        raise DomainError(
            _("This sitting has no queue: it is not an oral exam or a defence."), "no_queue"
        )


def _finish(examinee: Examinee, *, actor, now) -> None:
    examinee_status_change(
        examinee, S.DONE, actor=actor, action="live.finish", questioning_ended_at=now
    )


def _open_interruption(examinee: Examinee) -> bool:
    return examinee.interruptions.filter(ended_at__isnull=True).exists()


def queue_call_next(
    *, sitting: Sitting, actor, expected_current_id: int | None = None
) -> Examinee | None:
    """Finish whoever answers now and call the next ready examinee by the list (oral: drawn;
    defence: admitted). Returns the newly called examinee, or None when no one is ready.
    At an oral exam, not before questioning begins (R-13.1)."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_sitting(sitting.pk)
        require_caller(actor, locked)
        require_live(locked)
        current = (
            Examinee.objects.select_related("student__user")
            .filter(sitting=locked, status=S.ANSWERING)
            .order_by("position")
            .first()
        )
        if (current.pk if current else None) != expected_current_id:
            who = current.student.full_name if current else _("no one")
            raise DomainError(
                _("The queue has already moved: %(name)s is answering now.") % {"name": who},
                "queue_moved",
            )
        if locked.form == Sitting.Form.ORAL_EXAM:
            start = questioning_start(locked)
            if start.at is None or now < start.at:
                when = formats.time_format(timezone.localtime(start.at), "H:i") if start.at else ""
                raise DomainError(
                    _("Questioning begins at %(time)s, 30 minutes after the last draw.")
                    % {"time": when or "—"},
                    "too_early",
                )
        if current is not None:
            if _open_interruption(current):
                raise DomainError(
                    _("Record the commission's decision on the interruption first."),
                    "interrupted",
                )
            _finish(current, actor=actor, now=now)
        upcoming = (
            Examinee.objects.select_related("student__user")
            .filter(sitting=locked, status=READY[locked.form], questioning_started_at__isnull=True)
            .order_by("position")
            .first()
        )
        if upcoming is not None:
            examinee_status_change(
                upcoming, S.ANSWERING, actor=actor, action="live.call", questioning_started_at=now
            )
        elif current is None:
            waiting = not_ready_count(locked)
            if waiting:  # say who has to act, not just "nobody"
                raise DomainError(
                    _("No one is ready to answer yet.") + " " + not_ready_message(locked, waiting),
                    "queue_empty",
                )
            raise DomainError(_("No one in the list is ready to answer."), "queue_empty")
        if locked.status == Sitting.Status.SCHEDULED:
            locked.status = Sitting.Status.IN_PROGRESS
            locked.save(update_fields=["status"])
            log_action(
                actor=actor,
                action="sitting.start",
                target=locked,
                from_state=Sitting.Status.SCHEDULED,
                to_state=locked.status,
            )
    return upcoming


def questioning_finish(*, examinee: Examinee, actor) -> Examinee:
    """End the examinee's questioning (or defence) without calling anyone next."""
    with transaction.atomic():
        locked_sitting = _lock_sitting(examinee.sitting_id)
        require_caller(actor, locked_sitting)
        locked = Examinee.objects.select_for_update(of=("self",), no_key=True).get(pk=examinee.pk)
        if locked.status == S.DONE:
            return locked
        if locked.status != S.ANSWERING:
            raise DomainError(_("This examinee is not answering now."), "wrong_state")
        if _open_interruption(locked):
            raise DomainError(
                _("Record the commission's decision on the interruption first."), "interrupted"
            )
        _finish(locked, actor=actor, now=timezone.now())
    return locked
