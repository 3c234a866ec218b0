"""Applications (R-17.1, R-27.1) through their services: filing, the chair's decision on an
absence, the second sitting, the appeal commission's decision."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from attestation.applications import services
from attestation.applications.deadlines import appeal_deadline
from attestation.applications.models import Application
from attestation.audit.models import AuditEntry
from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.notices.models import Notice
from tests.applications_world import (
    absent,
    announced,
    appeal_commission,
    certificate_photo,
    next_sitting,
)

pytestmark = pytest.mark.django_db
A = Application


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def file_absence(world, **kw):
    return services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="absence",
        reason=kw.pop("reason", "illness"),
        text=kw.pop("text", "Ауырып қалдым, анықтама қоса беріледі."),
        **kw,
    )


def test_student_files_an_absence_application_with_a_certificate(world):
    absent(world)
    application = file_absence(world, files=[certificate_photo()])
    assert application.status == A.Status.SUBMITTED
    evidence = application.evidence.get()
    assert evidence.file.name.endswith(".jpg") and "certificate" not in evidence.file.name
    assert evidence.name == "certificate.jpg"
    assert AuditEntry.objects.filter(action="application.absence").exists()


def test_only_the_student_files_and_only_once_while_waiting(world):
    with pytest.raises(DomainError) as refused:
        services.application_file(
            examinee=world.examinee,
            actor=world.user("other_student"),
            kind="absence",
            reason="illness",
            text="x",
        )
    assert refused.value.status == 403
    file_absence(world)
    with pytest.raises(DomainError) as again:
        file_absence(world)
    assert again.value.code == "pending"


@pytest.mark.parametrize("reason", ["grade", "sick", ""])
def test_absence_reason_is_validated(world, reason):
    with pytest.raises(DomainError) as refused:
        file_absence(world, reason=reason)
    assert refused.value.code == "invalid_reason"


def test_absence_application_closes_days_after_the_sitting(world, settings):
    settings.ABSENCE_APPLICATION_DAYS = 2
    absent(world)
    with time_machine.travel(world.sitting.starts_at + timedelta(days=2, minutes=1)):
        with pytest.raises(DomainError) as refused:
            file_absence(world)
    assert refused.value.code == "deadline_passed"


def test_approval_moves_the_student_to_the_next_sitting_at_the_end_of_its_list(world):
    absent(world)
    later = next_sitting(world, days=14, code="later")
    target = next_sitting(world, days=7)
    other = Examinee.objects.create(
        sitting=target, student=world.other_examinee.student, position=4
    )
    application = file_absence(world)
    assert services.proposed_sitting(world.sitting) == target
    decided = services.absence_decide(
        application=application, actor=world.user("chair"), approve=True, reason="Анықтама бар"
    )
    assert decided.status == A.Status.APPROVED and decided.new_sitting == target
    old = Examinee.objects.get(pk=world.examinee.pk)
    assert old.status == Examinee.Status.ABSENT_VALID
    assert old.moved_to.sitting == target and old.moved_to.position == other.position + 1
    assert old.moved_to.status == Examinee.Status.WAITING
    assert not later.examinees.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"application.approve", "examinee.absent_valid", "examinee.add"} <= actions


def test_decision_mails_the_student_and_the_secretary_in_their_language(
    world, django_capture_on_commit_callbacks
):
    student = world.user("student")
    student.language = "ru"
    student.save()
    absent(world)
    next_sitting(world)
    application = file_absence(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.absence_decide(
            application=application, actor=world.user("chair"), approve=True, reason="Справка"
        )
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {student.email, world.user("secretary").email}
    assert "Справка" in to[student.email].body
    notice = Notice.objects.get(user=student)
    assert "Справка" in notice.body and notice.url == "/ru/applications/"
    assert Notice.objects.filter(user=world.user("secretary")).exists()


def test_rejection_keeps_the_examinee_absent_and_records_the_reason(world):
    absent(world)
    application = file_absence(world)
    decided = services.absence_decide(
        application=application, actor=world.user("chair"), approve=False, reason="Анықтама жоқ"
    )
    assert decided.status == A.Status.REJECTED and decided.decision_reason == "Анықтама жоқ"
    assert Examinee.objects.get(pk=world.examinee.pk).status == Examinee.Status.ABSENT


def test_deciding_twice_is_refused(world):
    absent(world)
    next_sitting(world)
    application = file_absence(world)
    chair = world.user("chair")
    services.absence_decide(application=application, actor=chair, approve=True, reason="ok")
    with pytest.raises(DomainError) as again:
        services.absence_decide(application=application, actor=chair, approve=False, reason="no")
    assert again.value.code == "already_decided" and again.value.status == 409


def test_only_the_chair_decides_an_absence(world):
    absent(world)
    application = file_absence(world)
    with pytest.raises(DomainError) as refused:
        services.absence_decide(
            application=application, actor=world.user("member"), approve=False, reason="no"
        )
    assert refused.value.status == 403


def test_approval_without_a_later_sitting_asks_for_a_second_sitting(world):
    absent(world)
    application = file_absence(world)
    with pytest.raises(DomainError) as refused:
        services.absence_decide(
            application=application, actor=world.user("chair"), approve=True, reason="ok"
        )
    assert refused.value.code == "no_sitting"
    second = services.second_sitting_create(
        original=world.sitting,
        actor=world.user("chair"),
        starts_at=world.sitting.starts_at + timedelta(days=10),
    )
    assert second.second_of == world.sitting and second.ticket_bank == world.sitting.ticket_bank
    assert (second.form, second.title) == (world.sitting.form, world.sitting.title)
    decided = services.absence_decide(
        application=application, actor=world.user("chair"), approve=True, reason="ok"
    )
    assert decided.new_sitting == second


def test_second_sitting_must_be_later_and_made_by_the_chair(world):
    later = world.sitting.starts_at + timedelta(days=3)
    with pytest.raises(DomainError):
        services.second_sitting_create(
            original=world.sitting, actor=world.user("secretary"), starts_at=later
        )
    with pytest.raises(DomainError):
        services.second_sitting_create(
            original=world.sitting, actor=world.user("chair"), starts_at=world.sitting.starts_at
        )


def test_target_sitting_must_be_of_the_same_commission_and_form(world):
    absent(world)
    application = file_absence(world)
    wrong_form = next_sitting(world, form=Sitting.Form.DEFENSE)
    with pytest.raises(DomainError) as refused:
        services.absence_decide(
            application=application,
            actor=world.user("chair"),
            approve=True,
            reason="ok",
            new_sitting=wrong_form,
        )
    assert refused.value.code == "invalid_sitting"


# --- Appeals -------------------------------------------------------------------------------


def file_appeal(world):
    return services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="appeal",
        reason="grade",
        text="Бағамен келіспеймін.",
    )


def test_appeal_before_the_announcement_is_refused(world):
    with pytest.raises(DomainError) as refused:
        file_appeal(world)
    assert refused.value.code == "not_announced" and refused.value.status == 409


def test_appeal_closes_at_the_end_of_the_next_working_day(world):
    announced(world)
    friday = timezone.make_aware(timezone.datetime(2026, 6, 12, 17, 0))
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=friday)
    world.sitting.refresh_from_db()
    deadline = appeal_deadline(world.sitting)
    assert timezone.localtime(deadline).isoformat().startswith("2026-06-16T00:00")
    with time_machine.travel(deadline - timedelta(minutes=1)):
        assert file_appeal(world).status == A.Status.SUBMITTED


def test_appeal_after_the_deadline_is_refused(world):
    announced(world)
    with time_machine.travel(appeal_deadline(world.sitting) + timedelta(seconds=1)):
        with pytest.raises(DomainError) as refused:
            file_appeal(world)
    assert refused.value.code == "deadline_passed"


def test_appeal_commission_changes_the_grade(world):
    announced(world, score=62)
    commission = appeal_commission(world)
    application = file_appeal(world)
    chair = commission.memberships.get(role="chair").user
    mail.outbox.clear()
    decided = services.appeal_decide(
        application=application, actor=chair, approve=True, reason="Жауап толық", new_score=78
    )
    assert (decided.old_score, decided.new_score) == (62, 78)
    assert Examinee.objects.get(pk=world.examinee.pk).final_score == 78
    assert AuditEntry.objects.filter(action="grade.appeal", to_state="78").exists()


def test_appeal_kept_leaves_the_grade(world):
    announced(world, score=62)
    commission = appeal_commission(world)
    application = file_appeal(world)
    member = commission.memberships.get(user__username="appeal_m").user
    decided = services.appeal_decide(
        application=application, actor=member, approve=False, reason="Баға дұрыс"
    )
    assert decided.status == A.Status.REJECTED and decided.new_score == 62
    assert Examinee.objects.get(pk=world.examinee.pk).final_score == 62


def test_own_examiner_on_the_appeal_commission_cannot_decide(world):
    announced(world)
    appeal_commission(world)
    application = file_appeal(world)
    with pytest.raises(DomainError) as refused:
        services.appeal_decide(
            application=application,
            actor=world.user("member"),
            approve=True,
            reason="x",
            new_score=90,
        )
    assert refused.value.code == "own_examinee"


def test_the_sac_chair_cannot_decide_an_appeal(world):
    announced(world)
    appeal_commission(world)
    application = file_appeal(world)
    with pytest.raises(DomainError) as refused:
        services.appeal_decide(
            application=application, actor=world.user("chair"), approve=False, reason="x"
        )
    assert refused.value.status == 403
