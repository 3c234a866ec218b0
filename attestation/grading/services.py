"""The commission's grading (R-15.1, R-16.1, R-26.1): members' own scores, the chair's final
grade, the announcement and its time. Keyword-only functions, one transaction each, an audit
row for every change; mail leaves after the commit, from a background task.

Sitting status: the first score or final grade moves a `scheduled` or `in_progress` sitting to
`grading`; the announcement moves it to `announced`. A cancelled sitting takes no grades.

Locks: a service that needs the sitting row locks it before the examinee row (PostgreSQL:
FOR UPDATE; SQLite: the IMMEDIATE transaction already holds the database's write lock), so
`final_set` and `sitting_announce` cannot interleave: no final grade changes between the
announcement's check that all are set and its commit without going through the
post-announcement path (reason, audit, mail).
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions import quorum, windows
from attestation.commissions.deadlines import upload_closes_at
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.commissions.services import examinee_locked
from attestation.core.errors import DomainError
from attestation.grading.models import Score
from attestation.grading.scale import MAX_SCORE, MIN_SCORE

S = Examinee.Status
R = Membership.Role
EXAMINERS = (R.CHAIR, R.MEMBER)

# Who can be scored: a written answer once submitted; at an oral exam or a defence,
# anyone admitted to it. Absent, suspended and terminated examinees cannot.
SCORABLE = {
    Sitting.Form.WRITTEN_EXAM: (S.SUBMITTED,),
    Sitting.Form.ORAL_EXAM: (S.ADMITTED, S.DRAWN, S.ANSWERING, S.DONE),
    Sitting.Form.DEFENSE: (S.ADMITTED, S.DRAWN, S.ANSWERING, S.DONE),
}
# Not in the sitting at all: no grade, and the announcement does not wait for them.
NOT_SITTING = (S.ABSENT, S.ABSENT_VALID, S.MOVED)
COMMENT_MAX = 2000


def scorable(examinee: Examinee) -> bool:
    return examinee.status in SCORABLE.get(examinee.sitting.form, ())


def finalizable(examinee: Examinee, *, now=None) -> bool:
    """The chair's final grade: whoever members can score, and also a terminated examinee
    (R-2.2: the commission stopped the attestation; typically F), and at a written exam an
    examinee who drew but submitted nothing by the close of the upload window."""
    if scorable(examinee) or examinee.status == S.TERMINATED:
        return True
    if examinee.sitting.form == Sitting.Form.WRITTEN_EXAM and examinee.status == S.DRAWN:
        closes = upload_closes_at(examinee)
        return closes is not None and (now or timezone.now()) >= closes
    return False


def needs_final(examinee: Examinee) -> bool:
    """The announcement waits for a final grade for everyone who sat (R-16.1)."""
    return examinee.status not in NOT_SITTING


# --- Members' own scores (R-15.1) -----------------------------------------------------------


def score_set(
    *,
    examinee: Examinee,
    member,
    score,
    comment: str = "",
    additional_questions: str | None = None,
) -> tuple[Score, bool]:
    """A member's (or the chair's) own score for one examinee, 0–100, with an optional comment
    and the additional questions they asked. Returns `(score, created)`: a second call
    updates the member's score. Closed once the results are announced: after that only the
    chair's final grade changes, with a reason."""
    value = clean_score(score)
    comment = (comment or "").strip()[:COMMENT_MAX]
    with transaction.atomic():
        _to_grading(examinee.sitting_id, actor=member)
        locked = examinee_locked(examinee)
        sitting = locked.sitting
        _require_role(member, sitting, EXAMINERS)
        _require_open(sitting)
        # K-2, K-3: a member marked absent does not grade at this sitting; a recused member
        # does not grade this examinee.
        if quorum.is_marked_absent(sitting, member):
            raise DomainError(
                _("You are marked absent at this sitting: you do not grade in it."), "absent"
            )
        if member.pk in quorum.recused_user_ids(locked):
            raise DomainError(
                _(
                    "You have declared a conflict of interest with this examinee: you do not "
                    "grade them."
                ),
                "recused",
            )
        if not scorable(locked):
            raise DomainError(_not_scorable_message(locked), "not_scorable")
        row = Score.objects.filter(examinee=locked, member=member).first()
        created = row is None
        old = "" if created else str(row.score)
        if created:
            row = Score(examinee=locked, member=member)
        row.score = value
        row.comment = comment
        if additional_questions is not None:
            row.additional_questions = additional_questions.strip()[:COMMENT_MAX]
        row.updated_at = timezone.now()
        row.save()
        log_action(
            actor=member,
            action="grade.score",
            target=locked,
            from_state=old,
            to_state=str(value),
            reason=comment,
            data={"member": member.pk},
        )
    return row, created


# --- The chair's final grade (R-16.1, R-26.1) -----------------------------------------------


def disagreement_threshold() -> int:
    """Scores further apart than this are a disagreement; a final grade further than this
    from the proposed one needs a reason (settings GRADE_SPREAD_THRESHOLD)."""
    return int(getattr(settings, "GRADE_SPREAD_THRESHOLD", 15))


def final_set(*, examinee: Examinee, actor, score, reason: str = "") -> Examinee:
    """The commission's grade after discussion (K-4), set by the chair — or by the deputy
    chair when the chair is marked absent — with the examinee's quorum present (K-2, 409
    `no_quorum`). The proposed grade is the mean of the present, non-recused members'
    scores; a final further from it than the disagreement threshold needs a reason. After
    the announcement a change needs a reason; it is audited and the student is told by mail
    (and the cabinet shows the new grade)."""
    value = clean_score(score)
    reason = (reason or "").strip()
    with transaction.atomic():
        sitting = Sitting.objects.select_for_update(no_key=True).get(pk=examinee.sitting_id)
        locked = examinee_locked(examinee)
        locked.sitting = sitting
        acting = quorum.require_acting_chair(actor, sitting)
        if sitting.status == Sitting.Status.CANCELLED:
            raise DomainError(_("This sitting is cancelled."), "cancelled")
        if not finalizable(locked):
            raise DomainError(_not_scorable_message(locked), "not_scorable")
        quorum.require_quorum(quorum.examinee_quorum(locked))
        old = locked.final_score
        announced = sitting.announced_at is not None
        if announced and not reason:
            raise DomainError(
                _("The results are announced: give the reason for changing the grade."),
                "reason_required",
                422,
            )
        if old == value:
            return locked
        proposed = quorum.proposed_final(locked)
        threshold = disagreement_threshold()
        if proposed is not None and abs(value - proposed) > threshold and not reason:
            raise DomainError(
                _(
                    "The final grade differs from the proposed %(proposed)s by more than "
                    "%(threshold)s points: give the reason."
                )
                % {"proposed": proposed, "threshold": threshold},
                "reason_required",
                422,
            )
        locked.final_score = value
        locked.final_set_at = timezone.now()
        locked.save(update_fields=["final_score", "final_set_at"])
        log_action(
            actor=actor,
            action="grade.change" if announced else "grade.final",
            target=locked,
            from_state="" if old is None else str(old),
            to_state=str(value),
            reason=reason,
            data={"acting": acting, "proposed": proposed},
        )
        if announced:
            _mail_on_commit(locked.pk, changed=True, previous=old)
        else:
            _to_grading(sitting.pk, actor=actor)
    return locked


# --- The announcement (R-16.1, R-26.1) ------------------------------------------------------


class FinalsMissing(DomainError):
    """The announcement waits for these examinees' final grades."""

    def __init__(self, missing: list[Examinee]):
        names = ", ".join(f"{e.position}. {e.student.full_name}" for e in missing)
        super().__init__(
            _("Set the final grade first for: %(names)s.") % {"names": names}, "finals_missing"
        )
        self.missing = missing


def sitting_announce(*, sitting: Sitting, actor) -> Sitting:
    """The chair publishes the sitting's results: before this no student sees a grade; after
    it each sees their own in the cabinet and gets an e-mail in their language. Every
    examinee who sat needs a final grade (409 `finals_missing`, naming them), and the
    commission its quorum (409 `no_quorum`, K-2). The deputy chair announces for an absent
    chair (K-1). A repeat returns the sitting unchanged and sends nothing."""
    with transaction.atomic():
        locked = Sitting.objects.select_for_update(no_key=True).get(pk=sitting.pk)
        acting = quorum.require_acting_chair(actor, locked)
        if locked.announced_at is not None:
            return locked
        if locked.status == Sitting.Status.CANCELLED:
            raise DomainError(_("This sitting is cancelled."), "cancelled")
        quorum.require_quorum(quorum.sitting_quorum(locked))
        examinees = list(locked.examinees.select_related("student__user").order_by("position"))
        missing = [e for e in examinees if needs_final(e) and e.final_score is None]
        if missing:
            raise FinalsMissing(missing)
        old = locked.status
        locked.status = Sitting.Status.ANNOUNCED
        locked.announced_at = timezone.now()
        locked.save(update_fields=["status", "announced_at"])
        log_action(
            actor=actor,
            action="sitting.announce",
            target=locked,
            from_state=old,
            to_state=locked.status,
            data={
                "acting": acting,
                "results": {
                    str(e.pk): e.final_score for e in examinees if e.final_score is not None
                },
            },
        )
        for examinee in examinees:
            if examinee.final_score is not None:
                _mail_on_commit(examinee.pk)
    return locked


def announcement_time_set(*, sitting: Sitting, actor, announce_at) -> Sitting:
    """The chair or the technical secretary sets when the results are announced; students see
    it in the cabinet with the conference link, to rejoin and hear them (R-16.1, R-26.1)."""
    if announce_at is None or timezone.is_naive(announce_at):
        raise DomainError(_("Give the date and time of the announcement."), "invalid", 422)
    with transaction.atomic():
        locked = Sitting.objects.select_for_update(no_key=True).get(pk=sitting.pk)
        _require_role(actor, locked, (R.CHAIR, R.SECRETARY))
        if locked.announced_at is not None:
            raise DomainError(_("The results are already announced."), "announced")
        if announce_at < locked.starts_at:
            raise DomainError(
                _("The announcement cannot be before the sitting starts."), "invalid", 422
            )
        earliest, latest = windows.announcement_bounds(locked)
        windows.require_within(
            announce_at, earliest=earliest, latest=latest, what=_("The announcement")
        )
        old = locked.announce_at
        if old == announce_at:
            return locked
        locked.announce_at = announce_at
        locked.save(update_fields=["announce_at"])
        log_action(
            actor=actor,
            action="sitting.announce_at",
            target=locked,
            from_state=old.isoformat() if old else "",
            to_state=announce_at.isoformat(),
        )
    return locked


# --- Rules shared by the services -----------------------------------------------------------


def clean_score(score) -> int:
    """A whole number from 0 to 100, or a 422 with a message a person understands."""
    if isinstance(score, bool):
        score = None
    if isinstance(score, str):
        try:
            score = int(score.strip())
        except ValueError:
            score = None
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
        raise DomainError(
            _("The score must be a whole number from %(low)s to %(high)s.")
            % {"low": MIN_SCORE, "high": MAX_SCORE},
            "invalid_score",
            422,
        )
    return score


def _require_role(user, sitting: Sitting, roles) -> None:
    # The views answer 404 before we get here; this keeps a service called from elsewhere
    # (a command, a task) from acting outside the person's role.
    if not Membership.objects.filter(
        user=user, commission_id=sitting.commission_id, role__in=list(roles)
    ).exists():
        raise DomainError(_("You do not hold the role this needs."), "forbidden", 403)


def _require_open(sitting: Sitting) -> None:
    if sitting.status == Sitting.Status.CANCELLED:
        raise DomainError(_("This sitting is cancelled."), "cancelled")
    if sitting.announced_at is not None:
        raise DomainError(
            _("The results are announced: only the chair can change a grade now, with a reason."),
            "announced",
        )


def _to_grading(sitting_id: int, *, actor) -> None:
    """The first grade moves the sitting to `grading`; one UPDATE, so two first scores at once
    write one audit row."""
    moved = Sitting.objects.filter(
        pk=sitting_id, status__in=(Sitting.Status.SCHEDULED, Sitting.Status.IN_PROGRESS)
    )
    old = moved.values_list("status", flat=True).first()
    if old is None:
        return
    if moved.update(status=Sitting.Status.GRADING):
        log_action(
            actor=actor,
            action="sitting.grading",
            target=Sitting.objects.get(pk=sitting_id),
            from_state=old,
            to_state=Sitting.Status.GRADING,
        )


def _not_scorable_message(examinee: Examinee) -> str:
    if examinee.sitting.form == Sitting.Form.WRITTEN_EXAM:
        return _("This examinee cannot be graded now: the answer has not been submitted.")
    return _("This examinee cannot be graded now: they were not admitted or did not finish.")


def _mail_on_commit(examinee_id: int, *, changed: bool = False, previous: int | None = None):
    from attestation.grading.tasks import result_mail_task

    transaction.on_commit(
        partial(result_mail_task.enqueue, examinee_id, changed=changed, previous=previous)
    )
