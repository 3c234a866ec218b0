"""The commission's decision (SPEC K-1 … K-4): attendance, conflicts of interest and dissenting
opinions. Keyword-only services, one transaction each, an audit row for every change. The
rules they share (who counts, the two thirds, who acts for the chair) are in
`commissions.quorum`; the grading services check them before a score or a final grade."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions import quorum
from attestation.commissions.models import (
    Attendance,
    Commission,
    Dissent,
    Examinee,
    Membership,
    Recusal,
    Sitting,
)
from attestation.commissions.services import examinee_locked
from attestation.core.errors import DomainError

R = Membership.Role
REASON_MAX = 500
DISSENT_MAX = 5000


def attendance_set(*, sitting: Sitting, user_id, present: bool, actor) -> Attendance:
    """The technical secretary records whether a member of the commission sits (K-2): at the
    start of the sitting, and again when someone joins or leaves. Closed once the results are
    announced: the decision was taken with the attendance it had."""
    if not isinstance(present, bool):
        raise DomainError(_("Say whether the member is present."), "invalid", 422)
    with transaction.atomic():
        locked = Sitting.objects.select_for_update(no_key=True).get(pk=sitting.pk)
        _require(actor, locked.commission_id, (R.SECRETARY,))
        if locked.status == Sitting.Status.CANCELLED:
            raise DomainError(_("This sitting is cancelled."), "cancelled")
        if locked.announced_at is not None:
            raise DomainError(
                _("The results are announced: the attendance can no longer change."), "announced"
            )
        members = {m.user_id: m for m in quorum.voting_memberships(locked.commission_id)}
        membership = members.get(_int(user_id))
        if membership is None:
            raise DomainError(
                _("This person is not a member of the commission."), "not_in_commission", 422
            )
        row = Attendance.objects.filter(sitting=locked, user_id=membership.user_id).first()
        old = "" if row is None else ("present" if row.present else "absent")
        if row is not None and row.present == present:
            return row
        if row is None:
            row = Attendance(sitting=locked, user_id=membership.user_id)
        row.present = present
        row.marked_by = actor
        row.marked_at = timezone.now()
        row.save()
        log_action(
            actor=actor,
            action="sitting.attendance",
            target=locked,
            from_state=old,
            to_state="present" if present else "absent",
            data={"user": membership.user_id, "role": membership.role},
        )
        supervisor_recusals_sync(sitting=locked)
    return row


def supervisor_recusals_sync(*, sitting: Sitting) -> list[Recusal]:
    """Write the automatic recusals of a defence (K-3): a member of the commission named as
    the thesis's supervisor does not grade it. The rule holds without the rows (the quorum
    and the scores read `quorum.recused_user_ids`); the rows put it in the protocol and the
    audit. Idempotent; runs inside the caller's transaction when there is one."""
    made = []
    with transaction.atomic():
        memberships = quorum.voting_memberships(sitting.commission_id)
        examinees = sitting.examinees.exclude(supervisor="")
        existing = set(
            Recusal.objects.filter(examinee__sitting=sitting).values_list("examinee_id", "user_id")
        )
        for examinee in examinees:
            for user_id in quorum.supervisor_ids(examinee, memberships):
                if (examinee.pk, user_id) in existing:
                    continue
                recusal = Recusal.objects.create(examinee=examinee, user_id=user_id, automatic=True)
                _drop_score(examinee, user_id, actor=None)
                log_action(
                    actor=None,
                    action="examinee.recusal",
                    target=examinee,
                    to_state="recused",
                    reason="supervisor",
                    data={"user": user_id, "automatic": True},
                )
                made.append(recusal)
    return made


def recusal_declare(*, examinee: Examinee, actor, reason: str) -> tuple[Recusal, bool]:
    """A member (or the chair) declares a conflict of interest with this examinee (K-3), with
    a reason: they no longer grade them, a score they gave is removed, and the examinee's
    quorum counts without them. Returns `(recusal, created)`; a repeat keeps the first
    declaration and updates its reason."""
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise DomainError(_("Give the reason for the conflict of interest."), "invalid", 422)
    with transaction.atomic():
        locked = examinee_locked(examinee)
        sitting = locked.sitting
        _require(actor, sitting.commission_id, quorum.VOTING)
        if sitting.announced_at is not None:
            raise DomainError(
                _("The results are announced: a conflict of interest is declared before."),
                "announced",
            )
        recusal = Recusal.objects.filter(examinee=locked, user=actor).first()
        created = recusal is None
        if created:
            recusal = Recusal.objects.create(examinee=locked, user=actor, reason=reason)
        elif recusal.reason != reason:
            recusal.reason = reason
            recusal.save(update_fields=["reason"])
        removed = _drop_score(locked, actor.pk, actor=actor)
        log_action(
            actor=actor,
            action="examinee.recusal",
            target=locked,
            to_state="recused",
            reason=reason,
            data={"user": actor.pk, "score_removed": removed},
        )
    return recusal, created


def dissent_record(*, examinee: Examinee, member, text: str) -> tuple[Dissent, bool]:
    """A member's dissenting opinion on the decision about this examinee (K-4): attached to
    the examinee, shown to the chair, carried by the protocol. Returns `(dissent, created)`;
    a second call replaces the member's text. Not by a member recused from the examinee or
    marked absent, and not after the announcement."""
    text = (text or "").strip()[:DISSENT_MAX]
    if not text:
        raise DomainError(_("Write the dissenting opinion."), "invalid", 422)
    with transaction.atomic():
        locked = examinee_locked(examinee)
        sitting = locked.sitting
        _require(member, sitting.commission_id, (R.MEMBER, R.DEPUTY))
        if sitting.announced_at is not None:
            raise DomainError(
                _("The results are announced: a dissenting opinion is recorded before."),
                "announced",
            )
        if quorum.is_marked_absent(sitting, member):
            raise DomainError(_absent_message(), "absent")
        if member.pk in quorum.recused_user_ids(locked):
            raise DomainError(_recused_message(), "recused")
        dissent = Dissent.objects.filter(examinee=locked, member=member).first()
        created = dissent is None
        old = "" if created else dissent.text
        if created:
            dissent = Dissent(examinee=locked, member=member)
        dissent.text = text
        dissent.recorded_at = timezone.now()
        dissent.save()
        log_action(
            actor=member,
            action="examinee.dissent",
            target=locked,
            from_state="changed" if old else "",
            to_state="recorded",
            reason=text[:500],
            data={"member": member.pk},
        )
    return dissent, created


def commission_setup_warnings(commission: Commission) -> list[str]:
    """What the registrar is told about a commission's set-up (K-1): no chair, a chair who
    is an employee of the university, no approving order."""
    if commission.kind != Commission.Kind.SAC:
        return []
    warnings = []
    chair = commission.memberships.filter(role=R.CHAIR).select_related("user").first()
    if chair is None:
        warnings.append(_("The commission «%(code)s» has no chair.") % {"code": commission.code})
    elif chair.user.is_university_employee:
        warnings.append(
            _(
                "The chair of «%(code)s», %(name)s, is an employee of the university: the "
                "chair of a SAC must be external."
            )
            % {"code": commission.code, "name": chair.user.display_name}
        )
    if not commission.order_number or commission.order_date is None:
        warnings.append(
            _("The approving order (number and date) of «%(code)s» is not recorded.")
            % {"code": commission.code}
        )
    return warnings


# --- Shared ---------------------------------------------------------------------------------


def _recused_message() -> str:
    return _("You have declared a conflict of interest with this examinee: you do not grade them.")


def _absent_message() -> str:
    return _("You are marked absent at this sitting: you do not grade in it.")


def _drop_score(examinee: Examinee, user_id: int, *, actor) -> int | None:
    """Remove a recused member's score; returns the removed value."""
    from attestation.grading.models import Score

    row = Score.objects.filter(examinee=examinee, member_id=user_id).first()
    if row is None:
        return None
    value = row.score
    row.delete()
    log_action(
        actor=actor,
        action="grade.score_removed",
        target=examinee,
        from_state=str(value),
        to_state="",
        reason="recusal",
        data={"member": user_id},
    )
    return value


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require(user, commission_id: int, roles) -> None:
    if not Membership.objects.filter(
        user=user, commission_id=commission_id, role__in=list(roles)
    ).exists():
        raise DomainError(_("You do not hold the role this needs."), "forbidden", 403)
