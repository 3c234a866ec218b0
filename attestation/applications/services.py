"""Applications (R-17.1, R-27.1): absence for a valid reason, appeals (K-13) and a repeat
attestation after a failure (K-11, rules in repeat.py). Keyword-only functions, one transaction
each, an audit row for every change; mail leaves after the commit.

Absence approved: the original examinee becomes ABSENT_VALID with `moved_to` pointing at a new
examinee at the end of the target sitting's list (status waiting). The old row is not MOVED:
it records that the student was absent for a valid reason in that sitting (the protocol shows
it), and `moved_to` says where they went.

Locks: the application row first (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction
already holds the write lock), so two decisions cannot both win; then the examinee, then the
target sitting (its list's end).
"""

from datetime import datetime
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.applications.access import own_examiner
from attestation.applications.deadlines import absence_deadline, appeal_deadline
from attestation.applications.evidence import evidence_check_all
from attestation.applications.models import Application, Evidence
from attestation.applications.repeat import deciders_q as repeat_deciders_q
from attestation.applications.repeat import failure_reason, repeat_candidates, repeat_refusal
from attestation.audit.services import log_action
from attestation.commissions import quorum, windows
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.commissions.services import examinee_status_change
from attestation.core.errors import DomainError
from attestation.grading.services import clean_score

A, S, R = Application, Examinee.Status, Membership.Role
ABSENCE_REASONS = (A.Reason.ILLNESS, A.Reason.FAMILY, A.Reason.TECHNICAL, A.Reason.OTHER)
APPEAL_REASONS = (A.Reason.GRADE, A.Reason.TECHNICAL, A.Reason.OTHER)
# An absence application is for someone who did not sit: not yet admitted, or marked absent.
NOT_SAT = (S.WAITING, S.IDENTIFIED, S.ABSENT)
TEXT_MAX = 5000
# Copied from the original sitting to its second sitting.
SECOND_SITTING_FIELDS = (
    "commission",
    "form",
    "exam_kind",
    "title",
    "ticket_bank",
    "tickets_may_repeat",
    "conference_provider",
    "writing_minutes",
    "upload_minutes",
    "grading_minutes",
    "questioning_delay_minutes",
    "slot_minutes",
    "thesis_deadline_days",
)


def application_file(
    *, examinee: Examinee, actor, kind: str, reason: str, text: str, files=()
) -> Application:
    """The student files an absence application to the chair, an appeal after the
    announcement (until `appeal_deadline`), or a repeat attestation for a failed part a year
    on (K-11; its reason is the record's: `failed` or `no_show`, whatever is sent). Evidence
    files are checked before anything is written. One open application of a kind per
    examinee; one appeal per examinee; one approved repeat attestation per failed part."""
    text = (text or "").strip()[:TEXT_MAX]
    if kind not in A.Kind.values:
        raise DomainError(_("Choose the kind of application."), "invalid", 422)
    allowed = ABSENCE_REASONS if kind == A.Kind.ABSENCE else APPEAL_REASONS
    if kind != A.Kind.REPEAT and reason not in allowed:
        raise DomainError(_("Choose one of the reasons offered."), "invalid_reason", 422)
    if not text:
        raise DomainError(_("Write what happened."), "text_required", 422)
    checked = evidence_check_all(files)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_examinee(examinee)
        if locked.student.user_id != getattr(actor, "pk", None):
            raise DomainError(_("Only the student files their own application."), "forbidden", 403)
        sitting = locked.sitting
        if kind == A.Kind.ABSENCE:
            _check_absence_open(locked, now)
        elif kind == A.Kind.APPEAL:
            _check_appeal_open(locked, now)
        else:
            refusal = repeat_refusal(locked, now)
            if refusal is not None:
                raise refusal
            reason = failure_reason(locked)
        existing = locked.applications.filter(kind=kind)
        if existing.filter(status=A.Status.SUBMITTED).exists():
            raise DomainError(_("Your application is already waiting for a decision."), "pending")
        if kind == A.Kind.APPEAL and existing.exists():
            raise DomainError(_("An appeal has already been decided."), "already_decided")
        if kind == A.Kind.REPEAT and existing.filter(status=A.Status.APPROVED).exists():
            raise DomainError(
                _("A repeat attestation of this part has already been approved."),
                "already_approved",
            )
        application = A.objects.create(
            examinee=locked, kind=kind, reason=reason, text=text, submitted_at=now
        )
        for number, item in enumerate(checked, start=1):
            path = f"applications/{sitting.pk}/{application.pk}/{number}-{item.sha256[:16]}"
            evidence = Evidence(
                application=application,
                name=item.name,
                sha256=item.sha256,
                active_content=item.active,
            )
            evidence.file.save(f"{path}.{item.extension}", ContentFile(item.data), save=False)
            evidence.save()
        log_action(
            actor=actor,
            action=f"application.{kind}",
            target=application,
            to_state=application.status,
            reason=text[:500],
            data={"examinee": locked.pk, "reason": reason, "evidence": len(checked)},
        )
    return application


def absence_decide(
    *,
    application: Application,
    actor,
    approve: bool,
    reason: str,
    new_sitting=None,
    new_sitting_starts_at: datetime | None = None,
) -> Application:
    """The chair approves or rejects, with a reason. Approval moves the student to
    `new_sitting`, or (K-12) to the second sitting the chair sets right here by its start
    `new_sitting_starts_at`: the commission's not-yet-announced sitting of the same form that
    starts at that moment if there is one, else a new one created for it; or, with neither,
    to the proposed next sitting. A start in the past, before the original or more than a year
    after it is a 422 and nothing is stored. Deciding twice is a 409."""
    reason = _reason(reason)
    if approve and new_sitting is not None and new_sitting_starts_at is not None:
        raise DomainError(
            _("Choose an existing sitting or the date of a new one, not both."), "invalid", 422
        )
    with transaction.atomic():
        locked = _locked_application(application, A.Kind.ABSENCE)
        examinee = _locked_examinee(locked.examinee)
        # K-1: the deputy chair decides for a chair marked absent at the student's sitting.
        acting = quorum.require_acting_chair(actor, examinee.sitting)
        if approve:
            target = new_sitting
            if new_sitting_starts_at is not None:
                target = _sitting_at(examinee.sitting, new_sitting_starts_at, actor=actor)
            target = target or proposed_sitting(examinee.sitting)
            if target is None:
                raise DomainError(
                    _("There is no later sitting: set the date and time of the second sitting."),
                    "no_sitting",
                )
            moved = _move(examinee, target, actor=actor, reason=reason)
            locked.new_sitting = moved.sitting
        _decide(locked, actor=actor, approve=approve, reason=reason, acting=acting)
        _mail_on_commit(locked.pk)
    return locked


def appeal_decide(
    *, application: Application, actor, approve: bool, reason: str, new_score=None
) -> Application:
    """The appeal commission keeps the grade (`approve=False`) or changes it to `new_score`.
    The examinee's own examiners cannot decide. A change updates the final grade the student
    sees, is audited and reaches the student by mail."""
    reason = _reason(reason)
    value = clean_score(new_score) if approve else None
    with transaction.atomic():
        locked = _locked_application(application, A.Kind.APPEAL)
        examinee = _locked_examinee(locked.examinee)
        commission_id = examinee.sitting.commission.appeal_commission_id
        if (
            commission_id is None
            or not Membership.objects.filter(
                user=actor,
                commission_id=commission_id,
                commission__kind=Commission.Kind.APPEAL,
                role__in=(R.CHAIR, R.MEMBER),
            ).exists()
        ):
            raise DomainError(_("You do not hold the role this needs."), "forbidden", 403)
        if own_examiner(actor, examinee):
            raise DomainError(
                _("You examined this student: you cannot decide their appeal."), "own_examinee", 403
            )
        old = examinee.final_score
        locked.old_score = old
        if approve:
            if value == old:
                raise DomainError(
                    _("The new score is the same as the grade: decide to keep it instead."),
                    "same_score",
                    422,
                )
            examinee.final_score = value
            examinee.final_set_at = timezone.now()
            examinee.save(update_fields=["final_score", "final_set_at"])
            log_action(
                actor=actor,
                action="grade.appeal",
                target=examinee,
                from_state="" if old is None else str(old),
                to_state=str(value),
                reason=reason,
                data={"application": locked.pk},
            )
        locked.new_score = value if approve else old
        _decide(locked, actor=actor, approve=approve, reason=reason)
        _mail_on_commit(locked.pk)
    return locked


def repeat_decide(
    *, application: Application, actor, approve: bool, reason: str, new_sitting=None
) -> Application:
    """K-11: the chair of the SAC (repeat.py says which) approves a repeat attestation or
    rejects it, with a reason. Approval records the permission and, with `new_sitting`,
    places the student at the end of that later sitting's list (same form, starting no
    earlier than a year after the failed sitting, in a SAC this chair chairs); the failed
    part's own record is left as it is. Deciding twice is a 409."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = _locked_application(application, A.Kind.REPEAT)
        examinee = _locked_examinee(locked.examinee)
        if not Application.objects.filter(repeat_deciders_q(actor), pk=locked.pk).exists():
            raise DomainError(_("You do not hold the role this needs."), "forbidden", 403)
        if approve and new_sitting is not None:
            if not repeat_candidates(examinee, actor).filter(pk=new_sitting.pk).exists():
                raise DomainError(
                    _(
                        "Choose a later sitting of the same form, a year or more after the "
                        "failed one, in a commission you chair."
                    ),
                    "invalid_sitting",
                    422,
                )
            # Locked: the end of its list is read and written here.
            target = Sitting.objects.select_for_update(no_key=True).get(pk=new_sitting.pk)
            placed = _listed(examinee, target)
            log_action(
                actor=actor,
                action="examinee.add",
                target=placed,
                to_state=placed.status,
                reason=reason,
                data={"repeat_of": examinee.pk, "application": locked.pk},
            )
            locked.new_sitting = target
        _decide(locked, actor=actor, approve=approve, reason=reason)
        _mail_on_commit(locked.pk)
    return locked


def second_sitting_create(*, original: Sitting, actor, starts_at: datetime) -> Sitting:
    """The chair creates a second sitting for those absent for a valid reason (R-17.1): same
    commission, form, title and ticket bank, on a later date within a year (K-12);
    `second_of` = the original."""
    with transaction.atomic():
        original = Sitting.objects.select_for_update(no_key=True).get(pk=original.pk)
        _require_chair(actor, original.commission_id)
        return _second_sitting(original, _second_start(original, starts_at), actor=actor)


def _second_start(original: Sitting, starts_at) -> datetime:
    """K-12: later than the original sitting and than now, within a year of the original."""
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        raise DomainError(_("Give the date and time of the second sitting."), "invalid", 422)
    if starts_at <= max(original.starts_at, timezone.now()):
        raise DomainError(
            _("The second sitting must be later than the original one and in the future."),
            "invalid",
            422,
        )
    earliest, latest = windows.second_sitting_bounds(original, timezone.now())
    return windows.require_within(
        starts_at, earliest=earliest, latest=latest, what=_("The second sitting")
    )


def _sitting_at(original: Sitting, starts_at, *, actor) -> Sitting:
    """The commission's open sitting of the same form starting at `starts_at`, or a new
    second sitting then."""
    starts_at = _second_start(original, starts_at)
    # The original sitting locked (after the examinee, as everywhere here): two absences
    # approved at once for the same moment find one second sitting, not create two.
    Sitting.objects.select_for_update(no_key=True).filter(pk=original.pk).first()
    existing = candidate_sittings(original).filter(starts_at=starts_at).first()
    return existing or _second_sitting(original, starts_at, actor=actor)


def _second_sitting(original: Sitting, starts_at: datetime, *, actor) -> Sitting:
    fields = {name: getattr(original, name) for name in SECOND_SITTING_FIELDS}
    count = Sitting.objects.filter(code__startswith=f"{original.code}-2nd").count()
    code = f"{original.code}-2nd" + (f"-{count + 1}" if count else "")
    sitting = Sitting.objects.create(
        **fields, code=code[:60], starts_at=starts_at, second_of=original
    )
    log_action(
        actor=actor,
        action="sitting.second",
        target=sitting,
        to_state=sitting.status,
        data={"second_of": original.pk},
    )
    return sitting


def proposed_sitting(sitting: Sitting) -> Sitting | None:
    """The commission's next sitting of the same form after this one (not cancelled, not
    announced): what the chair is offered first."""
    return candidate_sittings(sitting).first()


def candidate_sittings(sitting: Sitting):
    return (
        Sitting.objects.filter(
            commission_id=sitting.commission_id,
            form=sitting.form,
            starts_at__gt=sitting.starts_at,
            announced_at__isnull=True,
        )
        .exclude(status=Sitting.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


# --- Rules shared by the services -----------------------------------------------------------


def _check_absence_open(examinee: Examinee, now) -> None:
    if examinee.status not in NOT_SAT:
        raise DomainError(
            _("An absence application is only for a sitting you did not attend."), "wrong_state"
        )
    if now > absence_deadline(examinee.sitting):
        raise DomainError(_("The time to apply for this sitting has passed."), "deadline_passed")


def _check_appeal_open(examinee: Examinee, now) -> None:
    deadline = appeal_deadline(examinee.sitting)
    if deadline is None:
        raise DomainError(
            _("An appeal can be filed only after the results are announced."), "not_announced"
        )
    if examinee.final_score is None:
        raise DomainError(_("You have no grade to appeal in this sitting."), "no_grade")
    if now >= deadline:
        raise DomainError(_("The time for an appeal has passed."), "deadline_passed")


def _move(examinee: Examinee, target: Sitting, *, actor, reason: str) -> Examinee:
    if examinee.status not in NOT_SAT:
        raise DomainError(_("The student took part in this sitting."), "wrong_state")
    target = Sitting.objects.select_for_update(no_key=True).get(pk=target.pk)
    original = examinee.sitting
    if (
        target.pk == original.pk
        or target.commission_id != original.commission_id
        or target.form != original.form
        or target.starts_at <= original.starts_at
        or target.announced_at is not None
        or target.status == Sitting.Status.CANCELLED
    ):
        raise DomainError(
            _("Choose a later sitting of the same commission and form."), "invalid_sitting", 422
        )
    new = _listed(examinee, target)
    log_action(actor=actor, action="examinee.add", target=new, to_state=new.status, reason=reason)
    examinee_status_change(
        examinee,
        S.ABSENT_VALID,
        actor=actor,
        action="examinee.absent_valid",
        reason=reason,
        moved_to=new,
        data={"moved_to": new.pk, "sitting": target.pk},
    )
    return new


def _listed(examinee: Examinee, target: Sitting) -> Examinee:
    """The student at the end of the (locked) target sitting's list, thesis details kept."""
    last = target.examinees.aggregate(last=Max("position"))["last"] or 0
    try:
        with transaction.atomic():
            return Examinee.objects.create(
                sitting=target,
                student=examinee.student,
                position=last + 1,
                thesis_topic=examinee.thesis_topic,
                supervisor=examinee.supervisor,
                reviewer=examinee.reviewer,
            )
    except IntegrityError:
        raise DomainError(
            _("The student is already in the list of that sitting."), "already_listed"
        ) from None


def _decide(
    application: Application, *, actor, approve: bool, reason: str, acting: str = ""
) -> None:
    old = application.status
    application.status = A.Status.APPROVED if approve else A.Status.REJECTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save()
    log_action(
        actor=actor,
        action=f"application.{'approve' if approve else 'reject'}",
        target=application,
        from_state=old,
        to_state=application.status,
        reason=reason,
        data={
            "new_sitting": application.new_sitting_id,
            "old_score": application.old_score,
            "new_score": application.new_score,
            **({"acting": acting} if acting else {}),
        },
    )


def _reason(reason) -> str:
    reason = (reason or "").strip()[:TEXT_MAX]
    if not reason:
        raise DomainError(_("Give the reason for the decision."), "reason_required", 422)
    return reason


def _locked_application(application: Application, kind: str) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",), no_key=True)
        .select_related("examinee")
        .get(pk=application.pk)
    )
    if locked.kind != kind:
        raise DomainError(_("This is not that kind of application."), "wrong_kind", 422)
    if locked.status != A.Status.SUBMITTED:
        raise DomainError(_("This application has already been decided."), "already_decided")
    return locked


def _locked_examinee(examinee: Examinee) -> Examinee:
    return (
        Examinee.objects.select_for_update(of=("self",), no_key=True)
        .select_related("sitting__commission", "student__user")
        .get(pk=examinee.pk)
    )


def _require_chair(user, commission_id: int) -> None:
    if not Membership.objects.filter(user=user, commission_id=commission_id, role=R.CHAIR).exists():
        raise DomainError(_("You do not hold the role this needs."), "forbidden", 403)


def _mail_on_commit(application_id: int) -> None:
    from attestation.applications.tasks import decision_mail_task

    transaction.on_commit(partial(decision_mail_task.enqueue, application_id))
