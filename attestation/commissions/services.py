"""The entry's state machine, before the draw (R-2.1, R-3.1, R-9.1, R-9.2).

waiting → identified → admitted → (draw: `tickets.services.ticket_draw`) drawn → …
Every function is one transaction that writes an audit row; none is a no-op that lies: a
repeat of a done step returns the object unchanged, a step from the wrong state raises.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions.closing import ensure_not_announced
from attestation.commissions.models import Examinee
from attestation.core.errors import DomainError
from attestation.core.rawsql import update

S = Examinee.Status
# Before the student is let in, the secretary may still record identity or mark absence.
BEFORE_ADMISSION = (S.WAITING, S.IDENTIFIED)


def examinee_locked(examinee: Examinee) -> Examinee:
    """Re-read the row under a write lock, so two clicks cannot interleave. Call it inside
    the service's transaction. PostgreSQL: FOR NO KEY UPDATE OF the examinee only — a joined
    FOR UPDATE would lock the sitting too and queue every examinee of it behind one another;
    SQLite: the IMMEDIATE transaction already holds the database's write lock."""
    return (
        Examinee.objects.select_for_update(of=("self",), no_key=True)
        .select_related("sitting__commission", "student__user")
        .get(pk=examinee.pk)
    )


def examinee_status_change(
    examinee: Examinee,
    to: str,
    *,
    actor,
    action: str,
    reason: str = "",
    data: dict | None = None,
    **fields,
) -> Examinee:
    """The one way an examinee's status changes: set it (and `fields`), save, and write the
    audit row. Call it inside the service's transaction, on a row from `_locked`."""
    old = examinee.status
    examinee.status = to
    for name, value in fields.items():
        setattr(examinee, name, value)
    update(examinee, ["status", *fields])  # hand-written SQL: the draw's hot path
    log_action(
        actor=actor,
        action=action,
        target=examinee,
        from_state=old,
        to_state=to,
        reason=reason,
        data=data,
    )
    return examinee


def rules_acknowledge(*, examinee: Examinee, actor) -> Examinee:
    """The student acknowledges the rules (R-2.1); admission waits for it."""
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        if examinee.rules_acknowledged_at is None:
            examinee.rules_acknowledged_at = timezone.now()
            examinee.save(update_fields=["rules_acknowledged_at"])
            log_action(
                actor=actor, action="examinee.rules", target=examinee, to_state="acknowledged"
            )
    return examinee


def examinee_identify(*, examinee: Examinee, actor, note: str = "") -> Examinee:
    """The secretary matched the person to the record: ID shown, name and group stated (R-3.1)."""
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        if examinee.status not in BEFORE_ADMISSION:
            raise DomainError(_("Identity can be recorded only before admission."), "wrong_state")
        examinee_status_change(
            examinee,
            S.IDENTIFIED,
            actor=actor,
            action="examinee.identify",
            reason=note,
            identity_verified_at=timezone.now(),
            identity_verified_by=actor,
            identity_note=note[:500],
        )
    return examinee


def examinee_admit(*, examinee: Examinee, actor) -> Examinee:
    """Turn the student's entry green (R-9.1, R-9.2). Identity first (R-3.1), the rules
    acknowledged (R-2.1), and at a defence a complete dossier (K-8)."""
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        if examinee.admitted:
            return examinee
        ensure_not_announced(examinee.sitting)
        if examinee.status != S.IDENTIFIED or not examinee.identity_verified:
            raise DomainError(
                _("Check the student's identity before admitting them."), "identity_not_verified"
            )
        if examinee.rules_acknowledged_at is None:
            raise DomainError(
                _("The student has not yet acknowledged the rules."), "rules_not_acknowledged"
            )
        # K-8: a defence needs a complete dossier (409 `dossier_incomplete`, saying what).
        from attestation.defense.dossier import require_complete

        require_complete(examinee)
        examinee_status_change(
            examinee, S.ADMITTED, actor=actor, action="examinee.admit", admitted_at=timezone.now()
        )
    return examinee


def examinee_mark_absent(*, examinee: Examinee, actor, reason: str = "") -> Examinee:
    """A no-show. An application for a valid reason may still follow (R-17.1)."""
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        if examinee.status == S.ABSENT:
            return examinee
        if examinee.status not in BEFORE_ADMISSION:
            raise DomainError(
                _("Only a student not yet admitted can be marked absent."), "wrong_state"
            )
        examinee_status_change(
            examinee, S.ABSENT, actor=actor, action="examinee.absent", reason=reason
        )
    return examinee


def examinee_mark_present(*, examinee: Examinee, actor, reason: str = "") -> Examinee:
    """Undo a mistaken absence: the student joined after all."""
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        if examinee.status != S.ABSENT:
            raise DomainError(_("The student is not marked absent."), "wrong_state")
        ensure_not_announced(examinee.sitting)  # K-7: no late join into announced results
        to = S.IDENTIFIED if examinee.identity_verified else S.WAITING
        examinee_status_change(examinee, to, actor=actor, action="examinee.present", reason=reason)
    return examinee
