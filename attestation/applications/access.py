"""Who sees and decides an application. Outside a person's scope it is 404, not 403 (STYLE.md).

- its student sees it;
- an absence application: the chair of the examinee's commission decides it (the deputy
  chair when the chair is marked absent at the examinee's sitting, K-1);
- an appeal: the chair and members of the appeal commission linked to the examinee's SAC
  decide it, except the examinee's own examiners — anyone who is a chair or member of that
  SAC, or who scored this examinee — even if they also sit on the appeal commission;
- a repeat attestation (K-11): the chair of the SAC that failed the student, or of a later
  SAC of the same programme (repeat.py).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from attestation.applications.models import Application
from attestation.applications.repeat import deciders_q as repeat_deciders_q
from attestation.commissions.models import Attendance, Examinee, Membership
from attestation.grading.models import Score

R = Membership.Role
EXAMINERS = (R.CHAIR, R.MEMBER)


def _base() -> QuerySet[Application]:
    return Application.objects.select_related(
        "examinee__sitting__commission", "examinee__student__user", "new_sitting", "decided_by"
    )


def own_examiner(user, examinee: Examinee) -> bool:
    """A chair or member of the examinee's SAC, or someone who scored this examinee."""
    return (
        Membership.objects.filter(
            user=user, commission_id=examinee.sitting.commission_id, role__in=EXAMINERS
        ).exists()
        or Score.objects.filter(examinee=examinee, member=user).exists()
    )


def decidable_by(user) -> QuerySet[Application]:
    """Every application this person may decide (any status)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    chair_of_sac = Q(
        kind=Application.Kind.ABSENCE,
        examinee__sitting__commission__memberships__user=user,
        examinee__sitting__commission__memberships__role=R.CHAIR,
    )
    # K-1: the deputy chair decides for a chair marked absent at the student's sitting.
    chair_absent = Attendance.objects.filter(
        sitting_id=OuterRef("examinee__sitting_id"),
        present=False,
        user__memberships__commission_id=OuterRef("examinee__sitting__commission_id"),
        user__memberships__role=R.CHAIR,
    )
    deputy = Membership.objects.filter(
        user=user, commission_id=OuterRef("examinee__sitting__commission_id"), role=R.DEPUTY
    )
    deputy_of_sac = Q(kind=Application.Kind.ABSENCE) & Q(Exists(deputy)) & Q(Exists(chair_absent))
    own_sac = Membership.objects.filter(
        user=user,
        commission_id=OuterRef("examinee__sitting__commission_id"),
        role__in=EXAMINERS,
    )
    scored = Score.objects.filter(member=user, examinee_id=OuterRef("examinee_id"))
    on_appeal = Membership.objects.filter(
        user=user,
        commission_id=OuterRef("examinee__sitting__commission__appeal_commission_id"),
        commission__kind="appeal",
        role__in=EXAMINERS,
    )
    appeal = Q(kind=Application.Kind.APPEAL) & Q(Exists(on_appeal)) & ~Q(Exists(own_sac))
    appeal &= ~Q(Exists(scored))
    repeat = repeat_deciders_q(user)
    ids = Application.objects.filter(chair_of_sac | deputy_of_sac | appeal | repeat).values("pk")
    return _base().filter(pk__in=ids)


def waiting_for(user) -> QuerySet[Application]:
    return decidable_by(user).filter(status=Application.Status.SUBMITTED).order_by("submitted_at")


def applications_of_student(user) -> QuerySet[Application]:
    return _base().filter(examinee__student__user=user)


def get_application_for_decider(user, pk) -> Application:
    try:
        return decidable_by(user).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_application_for_viewer(user, pk) -> Application:
    """Its student, or whoever may decide it."""
    try:
        return applications_of_student(user).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        return get_application_for_decider(user, pk)


def can_decide(user, application: Application) -> bool:
    return decidable_by(user).filter(pk=application.pk).exists()
