"""The grading services (R-15.1, R-16.1, R-26.1): own scores, final grade, announcement."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from attestation.audit.models import AuditEntry
from attestation.commissions import services as commission_services
from attestation.commissions.models import Sitting
from attestation.core.errors import DomainError
from attestation.grading import services
from attestation.grading.models import Score
from attestation.grading.scale import grade_for
from tests.test_grading_world import add_oral_examinees, admit, make_oral, second_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def oral(world):
    """An oral exam, both students admitted and drawn, two members and the chair."""
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    world.member2 = second_member(world)
    return world


@pytest.mark.parametrize(
    ("score", "letter", "points", "word"),
    [
        (100, "A", "4.0", "excellent"),
        (95, "A", "4.0", "excellent"),
        (94, "A-", "3.67", "excellent"),
        (85, "B+", "3.33", "good"),
        (80, "B", "3.0", "good"),
        (75, "B-", "2.67", "good"),
        (70, "C+", "2.33", "good"),
        (65, "C", "2.0", "satisfactory"),
        (60, "C-", "1.67", "satisfactory"),
        (55, "D+", "1.33", "satisfactory"),
        (50, "D", "1.0", "satisfactory"),
        (49, "FX", "0.5", "unsatisfactory"),
        (25, "FX", "0.5", "unsatisfactory"),
        (24, "F", "0", "unsatisfactory"),
        (0, "F", "0", "unsatisfactory"),
    ],
)
def test_kazakh_scale(score, letter, points, word):
    with translation.override("en"):
        grade = grade_for(score)
        assert (grade.letter, str(grade.points), str(grade.word)) == (letter, points, word)


@pytest.mark.parametrize("bad", [-1, 101, 1000])
def test_scale_refuses_scores_outside_0_100(bad):
    with pytest.raises(ValueError):
        grade_for(bad)


def test_a_member_scores_once_and_updates(oral):
    member = oral.user("member")
    row, created = services.score_set(
        examinee=oral.examinee, member=member, score=78, comment="жақсы жауап"
    )
    assert created and row.score == 78 and row.comment == "жақсы жауап"
    row, created = services.score_set(examinee=oral.examinee, member=member, score=82)
    assert not created and row.score == 82
    assert Score.objects.filter(examinee=oral.examinee).count() == 1
    entries = AuditEntry.objects.filter(action="grade.score").order_by("at", "id")
    assert [(e.from_state, e.to_state) for e in entries] == [("", "78"), ("78", "82")]


@pytest.mark.parametrize("bad", [-5, 101, "abc", "12.5", None, True, 99.5])
def test_bad_scores_are_refused(oral, bad):
    with pytest.raises(DomainError) as refused:
        services.score_set(examinee=oral.examinee, member=oral.user("member"), score=bad)
    assert refused.value.code == "invalid_score" and refused.value.status == 422
    assert not Score.objects.exists()


def test_the_secretary_cannot_score(oral):
    with pytest.raises(DomainError) as refused:
        services.score_set(examinee=oral.examinee, member=oral.user("secretary"), score=90)
    assert refused.value.status == 403


def test_first_score_moves_the_sitting_to_grading(oral):
    assert oral.sitting.status == Sitting.Status.SCHEDULED
    services.score_set(examinee=oral.examinee, member=oral.user("member"), score=70)
    oral.sitting.refresh_from_db()
    assert oral.sitting.status == Sitting.Status.GRADING
    entry = AuditEntry.objects.get(action="sitting.grading")
    assert (entry.from_state, entry.to_state) == ("scheduled", "grading")


def test_only_the_chair_sets_the_final_grade(oral):
    with pytest.raises(DomainError):
        services.final_set(examinee=oral.examinee, actor=oral.user("member"), score=80)
    examinee = services.final_set(examinee=oral.examinee, actor=oral.user("chair"), score=80)
    assert examinee.final_score == 80 and examinee.final_set_at is not None
    entry = AuditEntry.objects.get(action="grade.final")
    assert (entry.from_state, entry.to_state) == ("", "80")


def test_announce_waits_for_every_final_grade(oral):
    chair = oral.user("chair")
    services.final_set(examinee=oral.examinee, actor=chair, score=90)
    with pytest.raises(services.FinalsMissing) as refused:
        services.sitting_announce(sitting=oral.sitting, actor=chair)
    assert [e.pk for e in refused.value.missing] == [oral.other_examinee.pk]
    assert "Үмбетова Ұлжан" in refused.value.message
    oral.sitting.refresh_from_db()
    assert oral.sitting.announced_at is None


def test_absent_examinees_do_not_hold_the_announcement(world, django_capture_on_commit_callbacks):
    make_oral(world)
    admit(world, world.examinee)
    commission_services.examinee_mark_absent(
        examinee=world.other_examinee, actor=world.user("secretary")
    )
    chair = world.user("chair")
    services.final_set(examinee=world.examinee, actor=chair, score=88)
    with django_capture_on_commit_callbacks(execute=True):
        sitting = services.sitting_announce(sitting=world.sitting, actor=chair)
    assert sitting.status == Sitting.Status.ANNOUNCED and sitting.announced_at is not None
    assert [m.to for m in mail.outbox] == [[world.examinee.student.user.email]]


def test_announce_mails_each_student_in_their_language(oral, django_capture_on_commit_callbacks):
    chair = oral.user("chair")
    oral.examinee.student.user.language = "kk"
    oral.examinee.student.user.save()
    other = oral.other_examinee.student.user
    other.language = "en"
    other.save()
    services.final_set(examinee=oral.examinee, actor=chair, score=96)
    services.final_set(examinee=oral.other_examinee, actor=chair, score=72)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=oral.sitting, actor=chair)
    by_to = {m.to[0]: m for m in mail.outbox}
    english = by_to[other.email]
    assert "Results of the final attestation" in english.subject
    assert "72 — C+ (2.33, good)" in english.body
    kazakh = by_to[oral.examinee.student.user.email]
    assert "96 — A (4,0, " in kazakh.body  # Kazakh number format: rendered in kk
    with translation.override("kk"):
        expected = gettext("Results of the final attestation: %(title)s") % {
            "title": oral.sitting.title
        }
    assert kazakh.subject == expected


def test_announce_twice_sends_nothing_more(oral, django_capture_on_commit_callbacks):
    chair = oral.user("chair")
    for examinee in (oral.examinee, oral.other_examinee):
        services.final_set(examinee=examinee, actor=chair, score=80)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=oral.sitting, actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=oral.sitting, actor=chair)
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="sitting.announce").count() == 1


def test_after_announcement_members_cannot_score_and_the_chair_needs_a_reason(
    oral, django_capture_on_commit_callbacks
):
    chair = oral.user("chair")
    for examinee in (oral.examinee, oral.other_examinee):
        services.final_set(examinee=examinee, actor=chair, score=64)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=oral.sitting, actor=chair)
    mail.outbox.clear()
    with pytest.raises(DomainError) as closed:
        services.score_set(examinee=oral.examinee, member=oral.user("member"), score=99)
    assert closed.value.code == "announced"
    with pytest.raises(DomainError) as no_reason:
        services.final_set(examinee=oral.examinee, actor=chair, score=66)
    assert no_reason.value.code == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        examinee = services.final_set(
            examinee=oral.examinee, actor=chair, score=66, reason="арифметикалық қате"
        )
    assert examinee.final_score == 66
    entry = AuditEntry.objects.get(action="grade.change")
    assert (entry.from_state, entry.to_state, entry.reason) == ("64", "66", "арифметикалық қате")
    assert entry.actor == chair
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [oral.examinee.student.user.email]


def test_announcement_time_by_chair_or_secretary(oral):
    when = oral.sitting.starts_at + timedelta(hours=3)
    services.announcement_time_set(
        sitting=oral.sitting, actor=oral.user("secretary"), announce_at=when
    )
    oral.sitting.refresh_from_db()
    assert oral.sitting.announce_at == when
    with pytest.raises(DomainError):
        services.announcement_time_set(
            sitting=oral.sitting, actor=oral.user("member"), announce_at=when
        )
    with pytest.raises(DomainError) as early:
        services.announcement_time_set(
            sitting=oral.sitting,
            actor=oral.user("chair"),
            announce_at=oral.sitting.starts_at - timedelta(minutes=1),
        )
    assert early.value.status == 422
    assert AuditEntry.objects.filter(action="sitting.announce_at").count() == 1


def test_terminated_examinee_gets_a_final_grade_from_the_chair(oral):
    from attestation.commissions.models import Examinee

    Examinee.objects.filter(pk=oral.examinee.pk).update(status=Examinee.Status.TERMINATED)
    oral.examinee.refresh_from_db()
    examinee = services.final_set(examinee=oral.examinee, actor=oral.user("chair"), score=0)
    assert grade_for(examinee.final_score).letter == "F"


def test_many_examinees_announce_in_one_go(oral, django_capture_on_commit_callbacks):
    more = add_oral_examinees(oral, 5)
    chair = oral.user("chair")
    for examinee in [oral.examinee, oral.other_examinee, *more]:
        services.final_set(examinee=examinee, actor=chair, score=77)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=oral.sitting, actor=chair)
    assert len(mail.outbox) == 7
    assert timezone.now() >= Sitting.objects.get(pk=oral.sitting.pk).announced_at
