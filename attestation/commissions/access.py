"""One helper per kind of object: fetch it for a user or raise 404. Objects outside a user's
scope are 404, not 403, so that their existence does not leak (STYLE.md)."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from attestation.accounts.models import DepartmentProgramme, Student
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.core.rawsql import columns, fetch_instances, row_id, table

STAFF_ROLES = (Membership.Role.CHAIR, Membership.Role.MEMBER, Membership.Role.SECRETARY)
EXAMINERS = (Membership.Role.CHAIR, Membership.Role.MEMBER)


def roles_of(user) -> set[str]:
    """Every role the person holds: `student`, `registrar`, `department`, and commission
    roles."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    if getattr(user, "_has_memberships", True):
        # No ordering: Membership's default one joined two tables into this DISTINCT.
        roles = set(
            Membership.objects.filter(user=user)
            .order_by()
            .values_list("role", flat=True)
            .distinct()
        )
    else:  # read with the user at sign-in time (accounts/backends.py): holds no role
        roles = set()
    if user.is_registrar:
        roles.add("registrar")
    if hasattr(user, "student"):
        roles.add("student")
    elif DepartmentProgramme.objects.filter(user=user).exists():
        # The department (SPEC K-8), scoped to programmes; a student is never one (their
        # pages, the hottest, skip the query).
        roles.add("department")
    user._roles_cache = roles
    return roles


def commissions_for(user, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Commission]:
    return Commission.objects.filter(
        memberships__user=user, memberships__role__in=list(roles)
    ).distinct()


def sittings_for_staff(user, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Sitting]:
    """Sittings of the commissions where the user holds one of `roles`."""
    return Sitting.objects.filter(
        commission__memberships__user=user, commission__memberships__role__in=list(roles)
    ).distinct()


def get_sitting_for_staff(user, pk, roles: Iterable[str] = STAFF_ROLES) -> Sitting:
    try:
        return sittings_for_staff(user, roles).select_related("commission").get(pk=pk)
    except (Sitting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_sitting_for_registrar_or_staff(user, pk) -> Sitting:
    if getattr(user, "is_registrar", False):
        try:
            return Sitting.objects.select_related("commission").get(pk=pk)
        except (Sitting.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
    return get_sitting_for_staff(user, pk)


EXAMINEE_OF_USER_SQL = f"""
    SELECT {columns(Examinee, "e")}, {columns(Sitting, "si")}, {columns(Student, "st")}
    FROM {table(Examinee)} e
    JOIN {table(Sitting)} si ON si.id = e.sitting_id
    JOIN {table(Student)} st ON st.id = e.student_id
    WHERE e.id = %s AND st.user_id = %s
"""  # noqa: S608 — names from our models; values are parameters


def get_examinee_for_student(user, pk) -> Examinee:
    """The student's own examinee record (with its sitting and student, the student's user
    being `user`); anyone else's is 404. Hand-written SQL: every exam-room request of a
    student starts here (core/rawsql.py)."""
    pk = row_id(pk)
    if pk is None or not getattr(user, "is_authenticated", False):
        raise Http404
    rows = fetch_instances(EXAMINEE_OF_USER_SQL, [pk, user.pk], (Examinee, Sitting, Student))
    if not rows:
        raise Http404
    examinee, sitting, student = rows[0]
    student.user = user
    examinee.sitting, examinee.student = sitting, student
    return examinee


def get_examinee_for_staff(user, pk, roles: Iterable[str] = STAFF_ROLES) -> Examinee:
    try:
        return Examinee.objects.select_related("sitting", "student__user").get(
            pk=pk, sitting__in=sittings_for_staff(user, roles)
        )
    except (Examinee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_examinee_for_student_or_staff(user, pk) -> Examinee:
    """The student's own record, or one in a sitting the user serves in."""
    try:
        return get_examinee_for_student(user, pk)
    except Http404:
        return get_examinee_for_staff(user, pk)


def roles_in(user, commission: Commission) -> set[str]:
    """The user's roles in one commission."""
    return set(
        Membership.objects.filter(user=user, commission=commission).values_list("role", flat=True)
    )
