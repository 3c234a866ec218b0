"""A commission's year for the graduates' tests: the world's written state exam and a
defence, both announced, with finals set as the chair set them, and GPAs."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from attestation.commissions.models import Examinee, Sitting
from tests.factories import ExamineeFactory, SittingFactory, StudentFactory, UserFactory


def grade(examinee: Examinee, score: int | None, status: str = "done") -> Examinee:
    Examinee.objects.filter(pk=examinee.pk).update(final_score=score, status=status)
    examinee.refresh_from_db()
    return examinee


def announce(*sittings: Sitting) -> None:
    for sitting in sittings:
        Sitting.objects.filter(pk=sitting.pk).update(
            announced_at=sitting.starts_at + timedelta(hours=3), status="announced"
        )
        sitting.refresh_from_db()


def year_of(world, *, announced: bool = True):
    """The world's exam (the student 96, the other student 60) two weeks ago and a defence a
    week ago (95 and 85); GPAs 3.80 and 3.20; a third student absent without a valid reason
    from the defence. Returns (exam, defence, third examinee at the defence)."""
    exam = world.sitting
    Sitting.objects.filter(pk=exam.pk).update(starts_at=timezone.now() - timedelta(days=14))
    exam.refresh_from_db()
    defence = SittingFactory(
        commission=world.commission,
        code="world-defence",
        form=Sitting.Form.DEFENSE,
        exam_kind="",
        title="Дипломдық жұмыстарды қорғау",
        starts_at=timezone.now() - timedelta(days=7),
    )
    world.examinee.student.gpa = Decimal("3.80")
    world.examinee.student.save()
    world.other_examinee.student.gpa = Decimal("3.20")
    world.other_examinee.student.save()
    grade(world.examinee, 96)
    grade(world.other_examinee, 60)
    ExamineeFactory(sitting=defence, student=world.examinee.student, position=1)
    ExamineeFactory(sitting=defence, student=world.other_examinee.student, position=2)
    third = StudentFactory(user=UserFactory(username="third_p", full_name="=Ерлан Қасымов"))
    missing = ExamineeFactory(sitting=defence, student=third, position=3)
    for examinee in defence.examinees.all():
        score = {world.examinee.student_id: 95, world.other_examinee.student_id: 85}.get(
            examinee.student_id
        )
        grade(examinee, score, "done" if score else "absent")
    if announced:
        announce(exam, defence)
    return exam, defence, missing
