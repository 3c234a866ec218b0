"""Who reaches a defence dossier (SPEC K-8). The commission (chair, members, secretary) of the
examinee's sitting and the department keeping the student's programme read it; the student
reads their own; the secretary and the department enter it. Anyone else: 404 (STYLE.md)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from attestation.accounts.models import DepartmentProgramme
from attestation.commissions.access import STAFF_ROLES, get_examinee_for_student, roles_in
from attestation.commissions.models import Examinee, Membership, Sitting

R = Membership.Role


def department_programmes(user) -> set[str]:
    """The programmes a person keeps as the department (empty: not department staff)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_department_programmes", None)
    if cached is None:
        cached = set(
            DepartmentProgramme.objects.filter(user=user).values_list("programme", flat=True)
        )
        user._department_programmes = cached
    return cached


def in_programmes(programmes) -> Q:
    """Examinees of these programmes: the student's own, or (when the student record names
    none) the commission's, which is one per programme (K-1)."""
    programmes = list(programmes)
    return Q(student__programme__in=programmes) | Q(
        student__programme="", sitting__commission__programme__in=programmes
    )


def defense_examinees_for_department(user) -> QuerySet[Examinee]:
    """The defence examinees of the department's programmes, in the order of the sittings."""
    programmes = department_programmes(user)
    if not programmes:
        return Examinee.objects.none()
    return (
        Examinee.objects.filter(in_programmes(programmes), sitting__form=Sitting.Form.DEFENSE)
        .select_related("sitting__commission", "student__user", "dossier", "thesis")
        .order_by("sitting__starts_at", "sitting_id", "position")
    )


def _in_department(user, pk) -> Examinee | None:
    programmes = department_programmes(user)
    if not programmes:
        return None
    return (
        Examinee.objects.select_related("sitting__commission", "student__user")
        .filter(in_programmes(programmes), pk=pk)
        .first()
    )


def get_examinee_for_dossier(user, pk) -> Examinee:
    """The examinee whose dossier `user` may read: the department of the programme, the
    commission of the sitting, the student. 404 for anyone else. Who may enter it is the
    service's question (`can_enter_dossier`): a reader who may not enter gets 403."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not getattr(user, "is_authenticated", False):
        raise Http404
    examinee = _in_department(user, pk)
    if examinee is not None:
        return examinee
    examinee = (
        Examinee.objects.select_related("sitting__commission", "student__user")
        .filter(pk=pk)
        .first()
    )
    if examinee is None:
        raise Http404
    if roles_in(user, examinee.sitting.commission) & {*STAFF_ROLES, R.DEPUTY}:
        return examinee
    return get_examinee_for_student(user, pk)


def can_enter_dossier(user, examinee: Examinee) -> bool:
    """The technical secretary of the sitting's commission, or the department keeping the
    student's programme."""
    if R.SECRETARY in roles_in(user, examinee.sitting.commission):
        return True
    programmes = department_programmes(user)
    return bool(programmes) and (
        examinee.student.programme in programmes
        or (not examinee.student.programme and examinee.sitting.commission.programme in programmes)
    )
