"""Getting examinees into a gradable state with the real services, and which states can be
scored (R-15.1). Other grading tests import the helpers from here."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.answers.services import answer_page_add, answer_submit
from attestation.commissions import services as commission_services
from attestation.commissions.decision import attendance_set
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.core.errors import DomainError
from attestation.grading.services import score_set
from attestation.tickets.services import ticket_draw
from tests.factories import (
    ExamineeFactory,
    MembershipFactory,
    StudentFactory,
    UserFactory,
    dossier_complete,
)
from tests.images import jpeg, sharp_page

pytestmark = pytest.mark.django_db


def second_member(world):
    """The world has one member; grading needs two to disagree."""
    user = UserFactory(username="member2_p", full_name="Нұрланова Қарлығаш")
    MembershipFactory(commission=world.commission, user=user, role=Membership.Role.MEMBER)
    # Marked present like the others: the protocol names the members present (K-2, K-5).
    attendance_set(
        sitting=world.sitting, user_id=user.pk, present=True, actor=world.user("secretary")
    )
    return user


def make_oral(world) -> Sitting:
    """Turn the world's sitting into an oral exam: no written answer to submit."""
    Sitting.objects.filter(pk=world.sitting.pk).update(form=Sitting.Form.ORAL_EXAM)
    world.sitting.refresh_from_db()
    for examinee in (world.examinee, world.other_examinee):
        examinee.refresh_from_db()
    return world.sitting


def admit(world, examinee: Examinee, *, draw: bool = True) -> Examinee:
    """Rules → identity → admission (→ the draw), as the student and the secretary do."""
    secretary = world.user("secretary")
    student = examinee.student.user
    examinee.refresh_from_db()
    if examinee.sitting.form == Sitting.Form.DEFENSE:
        dossier_complete(examinee)  # K-8: a defence admits on a complete dossier
    commission_services.rules_acknowledge(examinee=examinee, actor=student)
    commission_services.examinee_identify(examinee=examinee, actor=secretary)
    commission_services.examinee_admit(examinee=examinee, actor=secretary)
    if draw:
        ticket_draw(examinee=examinee, position=1, actor=student)
    examinee.refresh_from_db()
    return examinee


def submit_written(world, examinee: Examinee) -> Examinee:
    """A written answer: admitted, drawn, one photographed page, submitted."""
    admit(world, examinee)
    photo = SimpleUploadedFile("p1.jpg", jpeg(sharp_page(600, 800)), content_type="image/jpeg")
    answer_page_add(examinee=examinee, file=photo, actor=examinee.student.user)
    answer_submit(examinee=examinee, actor=examinee.student.user)
    examinee.refresh_from_db()
    return examinee


def add_oral_examinees(world, count: int, *, start: int = 10) -> list[Examinee]:
    """More admitted examinees in the (oral) world sitting."""
    examinees = []
    for i in range(count):
        student = StudentFactory(
            user=UserFactory(username=f"oral{start + i}", full_name=f"Сәрсенов Ерқанат {i}")
        )
        examinee = ExamineeFactory(sitting=world.sitting, student=student, position=start + i)
        examinees.append(admit(world, examinee, draw=False))
    return examinees


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_written_answer_is_scorable_once_submitted(world, media):
    member = world.user("member")
    admit(world, world.examinee)
    with pytest.raises(DomainError) as refused:
        score_set(examinee=world.examinee, member=member, score=80)
    assert refused.value.code == "not_scorable"
    submit_written(world, world.other_examinee)
    row, created = score_set(examinee=world.other_examinee, member=member, score=80)
    assert created and row.score == 80


@pytest.mark.parametrize("form", [Sitting.Form.ORAL_EXAM, Sitting.Form.DEFENSE])
def test_oral_and_defence_are_scorable_once_admitted(world, form):
    Sitting.objects.filter(pk=world.sitting.pk).update(form=form)
    world.examinee.refresh_from_db()
    with pytest.raises(DomainError):
        score_set(examinee=world.examinee, member=world.user("member"), score=70)
    admit(world, world.examinee, draw=False)
    row, _ = score_set(examinee=world.examinee, member=world.user("member"), score=70)
    assert row.score == 70


def test_absent_examinee_cannot_be_scored(world):
    make_oral(world)
    commission_services.examinee_mark_absent(examinee=world.examinee, actor=world.user("secretary"))
    with pytest.raises(DomainError) as refused:
        score_set(examinee=world.examinee, member=world.user("member"), score=50)
    assert refused.value.code == "not_scorable"


def test_terminated_examinee_cannot_be_scored_by_members(world):
    make_oral(world)
    admit(world, world.examinee)
    Examinee.objects.filter(pk=world.examinee.pk).update(status=Examinee.Status.TERMINATED)
    world.examinee.refresh_from_db()
    with pytest.raises(DomainError):
        score_set(examinee=world.examinee, member=world.user("member"), score=50)


def test_the_written_exam_grading_deadline_runs_from_the_last_upload_close(world, media):
    from attestation.grading.deadlines import answers_close_at, grading_deadline

    submit_written(world, world.examinee)
    draw = world.examinee.draw
    closes = draw.drawn_at + timedelta(
        minutes=world.sitting.writing_minutes + world.sitting.upload_minutes
    )
    examinees = list(world.sitting.examinees.select_related("draw"))
    assert answers_close_at(world.sitting, examinees) == closes
    assert grading_deadline(world.sitting, examinees) == closes + timedelta(hours=2)
