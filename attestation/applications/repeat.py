"""K-11, a repeat attestation: who may apply for one, and where the chair may place them.

A part (one examinee row: one sitting's exam or defence) is failed when its sitting's results
are announced and the commission's grade is unsatisfactory (below D, grade_for(...).passed),
or the student was absent without a valid reason (a terminated examinee has a grade: R-16.1).
The student applies no earlier than a year after that sitting (deadlines.repeat_opens), for
that failed part only; a part passed — there, or later in a sitting of the same form and
title — cannot be re-sat to improve its grade.

The chair of the SAC decides: the chair of the commission that failed the student, or the
chair of a later SAC of the same educational programme (a year on, another commission
usually examines). Approval records the permission and, when the chair picks one, places the
student at the end of a later sitting's list of the same form (starting no earlier than the
application could open); without one, the student is listed when that sitting is made.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.applications.deadlines import repeat_opens
from attestation.applications.models import Application
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.core.errors import DomainError
from attestation.grading.scale import grade_for

A, S = Application, Examinee.Status


def failure_reason(examinee: Examinee) -> str | None:
    """`failed` or `no_show` when this part is failed for good; None otherwise."""
    if examinee.sitting.announced_at is None:
        return None
    if examinee.final_score is not None:
        return None if grade_for(examinee.final_score).passed else A.Reason.FAILED
    return A.Reason.NO_SHOW if examinee.status == S.ABSENT else None


def _passed_later(examinee: Examinee) -> bool:
    """The same part passed in a later announced sitting (a repeat attestation done)."""
    sitting = examinee.sitting
    later = Examinee.objects.filter(
        student_id=examinee.student_id,
        sitting__form=sitting.form,
        sitting__title=sitting.title,
        sitting__starts_at__gt=sitting.starts_at,
        sitting__announced_at__isnull=False,
        final_score__isnull=False,
    ).values_list("final_score", flat=True)
    return any(grade_for(score).passed for score in later)


def repeat_refusal(examinee: Examinee, now=None) -> DomainError | None:
    """Why a repeat attestation cannot be applied for now (the error to raise), or None."""
    now = now or timezone.now()
    score = examinee.final_score
    if (score is not None and grade_for(score).passed) or (
        failure_reason(examinee) and _passed_later(examinee)
    ):
        return DomainError(
            _("You passed this part: re-sitting to improve a passing grade is not allowed."),
            "passed",
        )
    if failure_reason(examinee) is None:
        return DomainError(
            _("A repeat attestation is only for a part you failed, once its results are out."),
            "not_failed",
        )
    opens = repeat_opens(examinee.sitting)
    if now < opens:
        day = formats.date_format(timezone.localtime(opens), "DATE_FORMAT")
        return DomainError(
            _("A repeat attestation can be applied for from %(date)s, a year after the sitting.")
            % {"date": day},
            "too_early",
        )
    return None


def deciders_q(user) -> Q:
    """Applications of kind `repeat` this person decides (see the module's docstring)."""
    own = Q(
        examinee__sitting__commission__memberships__user=user,
        examinee__sitting__commission__memberships__role=Membership.Role.CHAIR,
    )
    later_sac = Membership.objects.filter(
        user=user,
        role=Membership.Role.CHAIR,
        commission__kind=Commission.Kind.SAC,
        commission__programme=OuterRef("examinee__sitting__commission__programme"),
        commission__year__gt=OuterRef("examinee__sitting__commission__year"),
    ).exclude(commission__programme="")
    return Q(kind=A.Kind.REPEAT) & (own | Q(Exists(later_sac)))


def repeat_candidates(examinee: Examinee, user):
    """Later open sittings of the same form where this chair may place the student."""
    original = examinee.sitting
    commission = original.commission
    chaired = Membership.objects.filter(user=user, role=Membership.Role.CHAIR)
    same_programme = Q(commission__programme=commission.programme) & ~Q(commission__programme="")
    return (
        Sitting.objects.filter(
            Q(commission_id=commission.pk)
            | (same_programme & Q(commission__year__gt=commission.year)),
            commission__in=chaired.values("commission_id"),
            commission__kind=Commission.Kind.SAC,
            form=original.form,
            starts_at__gte=repeat_opens(original),
            announced_at__isnull=True,
        )
        .exclude(status=Sitting.Status.CANCELLED)
        .exclude(examinees__student_id=examinee.student_id)
        .select_related("commission")
        .order_by("starts_at", "pk")
    )
