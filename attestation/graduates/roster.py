"""Loads what the rules in `honours` read, for a whole commission at once: two queries
whatever the number of students (their examinees in the commission with sitting and person,
then their attempts in the earlier years' commissions, for re-sits).

Which finals count: every final grade the chair has set, announced or not — the chair and
the registrar see drafts (grading's `_sees_draft`), and the chair decides the degree with
them. `announced_only=True` counts only announced sittings' grades (the others read as
pending): the registrar's lists for orders use it."""

from dataclasses import dataclass
from decimal import Decimal

from attestation.accounts.models import Student
from attestation.commissions.models import Commission, Examinee, Sitting
from attestation.graduates.honours import (
    Attempt,
    Honours,
    Record,
    honours_check,
    outcome_of,
)


@dataclass(frozen=True)
class Graduate:
    student: Student
    record: Record
    outcome: str
    honours: Honours

    @property
    def finals(self) -> list[Attempt]:
        return self.record.finals

    @property
    def full_name(self) -> str:
        return self.record.full_name

    @property
    def defence(self) -> Attempt | None:
        """The last graded defence, if any (the degree protocol is the defence sitting's)."""
        defences = [a for a in self.finals if a.form == Sitting.Form.DEFENSE]
        return defences[-1] if defences else None


def attempt_of(examinee: Examinee, *, announced_only: bool = False) -> Attempt:
    """An examinee with its `sitting__commission` fetched, as the rules read it."""
    sitting = examinee.sitting
    announced = sitting.announced_at is not None
    counted = announced or not announced_only
    return Attempt(
        examinee_id=examinee.pk,
        sitting_id=sitting.pk,
        commission_id=sitting.commission_id,
        year=sitting.commission.year,
        form=sitting.form,
        exam_kind=sitting.exam_kind,
        title=sitting.title,
        starts_at=sitting.starts_at,
        # Not counted: the whole attempt waits for the announcement, absences too.
        status=examinee.status if counted else Examinee.Status.WAITING,
        score=examinee.final_score if counted else None,
        announced=announced,
        moved_to_id=examinee.moved_to_id,
    )


def commission_graduates(
    commission: Commission, *, announced_only: bool = False, min_gpa: Decimal | None = None
) -> list["Graduate"]:
    """Every student with a place in one of the commission's sittings (cancelled ones left
    out), by name, with their outcome and honours."""
    examinees = (
        Examinee.objects.filter(sitting__commission=commission)
        .exclude(sitting__status=Sitting.Status.CANCELLED)
        .select_related("sitting__commission", "student__user")
        .order_by("sitting__starts_at", "pk")
    )
    by_student: dict[int, list[Examinee]] = {}
    students: dict[int, Student] = {}
    for examinee in examinees:
        by_student.setdefault(examinee.student_id, []).append(examinee)
        students[examinee.student_id] = examinee.student
    earlier: dict[int, list[Attempt]] = {}
    if students:
        others = (
            Examinee.objects.filter(
                student_id__in=list(students),
                sitting__commission__kind=Commission.Kind.SAC,
                sitting__commission__year__lte=commission.year,
            )
            .exclude(sitting__commission=commission)
            .exclude(sitting__status=Sitting.Status.CANCELLED)
            .select_related("sitting__commission")
        )
        for examinee in others:
            earlier.setdefault(examinee.student_id, []).append(
                attempt_of(examinee, announced_only=announced_only)
            )
    graduates = []
    for student_id, own in by_student.items():
        student = students[student_id]
        record = Record(
            student_id=student_id,
            full_name=student.full_name,
            gpa=student.gpa,
            attempts=tuple(attempt_of(e, announced_only=announced_only) for e in own),
            earlier=tuple(earlier.get(student_id, ())),
        )
        graduates.append(
            Graduate(
                student=student,
                record=record,
                outcome=outcome_of(record),
                honours=honours_check(record, min_gpa=min_gpa),
            )
        )
    return sorted(graduates, key=lambda g: (g.full_name.casefold(), g.record.student_id))
