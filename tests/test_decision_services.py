"""The commission's decision (SPEC K-1 … K-4) through the services: attendance and the
two-thirds quorum, the deputy chair acting for an absent chair, conflicts of interest, the
proposed final grade and dissenting opinions."""

import pytest
from django.utils import translation

from attestation.audit.models import AuditEntry
from attestation.commissions import quorum
from attestation.commissions.decision import (
    attendance_set,
    commission_setup_warnings,
    dissent_record,
    recusal_declare,
    supervisor_recusals_sync,
)
from attestation.commissions.models import Attendance, Dissent, Membership, Recusal, Sitting
from attestation.core.errors import DomainError
from attestation.grading.board import examinee_board
from attestation.grading.models import Score
from attestation.grading.services import final_set, score_set, sitting_announce
from tests.factories import MembershipFactory, UserFactory
from tests.personas import attend_all
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db
R = Membership.Role


@pytest.fixture
def oral(world):
    """An oral exam where both examinees are admitted; the whole commission present."""
    make_oral(world)
    admit(world, world.examinee, draw=False)
    admit(world, world.other_examinee, draw=False)
    return world


def mark(world, user, present: bool, sitting=None):
    return attendance_set(
        sitting=sitting or world.sitting,
        user_id=user.pk,
        present=present,
        actor=world.user("secretary"),
    )


def seven(world) -> list:
    """Four more members: chair, deputy chair, member and these make a commission of 7."""
    extra = []
    for i in range(4):
        user = UserFactory(username=f"seventh_{i}", full_name=f"Қосымша Мүше {i}")
        MembershipFactory(commission=world.commission, user=user, role=R.MEMBER)
        extra.append(user)
    return extra


# --- Who counts, and the two thirds (K-2) ---------------------------------------------------


@pytest.mark.parametrize(
    ("members", "required"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (9, 6)]
)
def test_the_quorum_is_two_thirds_of_the_members_rounded_up(members, required):
    assert quorum.required_for(members) == required


def test_the_members_are_chair_deputy_and_members_each_once_not_the_secretary(world):
    memberships = quorum.voting_memberships(world.commission.pk)
    # The deputy holds two roles (member and deputy chair) and counts once, as deputy.
    assert [(m.user.username, m.role) for m in memberships] == [
        ("chair_p", R.CHAIR),
        ("deputy_p", R.DEPUTY),
        ("member_p", R.MEMBER),
    ]
    q = quorum.sitting_quorum(world.sitting)
    assert (q.present, q.members, q.required, q.met) == (3, 3, 2, True)
    assert [m.user.username for m in quorum.present_memberships(world.sitting)] == [
        "chair_p",
        "deputy_p",
        "member_p",
    ]


def test_a_commission_of_seven_with_four_present_refuses_finals_with_five_accepts(oral):
    extra = seven(oral)
    chair = oral.user("chair")
    # chair, deputy, member present; two of the four new members too: 5 of 7 — then one
    # leaves: 4 of 7.
    mark(oral, extra[0], True)
    mark(oral, extra[1], True)
    for user in extra[2:]:
        mark(oral, user, False)
    mark(oral, extra[1], False)
    q = quorum.sitting_quorum(oral.sitting)
    assert (q.present, q.members, q.required, q.met, q.short) == (4, 7, 5, False, 1)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        final_set(examinee=oral.examinee, actor=chair, score=80)
    assert refused.value.code == "no_quorum" and refused.value.status == 409
    assert "present 4 of 7, quorum 5" in refused.value.message
    assert "1 more member must be present" in refused.value.message
    oral.examinee.refresh_from_db()
    assert oral.examinee.final_score is None
    with pytest.raises(DomainError) as announce:
        sitting_announce(sitting=oral.sitting, actor=chair)
    assert announce.value.code == "no_quorum"

    mark(oral, extra[1], True)
    assert quorum.sitting_quorum(oral.sitting).met
    assert final_set(examinee=oral.examinee, actor=chair, score=80).final_score == 80
    final_set(examinee=oral.other_examinee, actor=chair, score=70)
    assert sitting_announce(sitting=oral.sitting, actor=chair).announced_at is not None


def test_with_no_attendance_recorded_nobody_is_present_and_nothing_is_decided(oral):
    Attendance.objects.filter(sitting=oral.sitting).delete()
    q = quorum.sitting_quorum(oral.sitting)
    assert (q.present, q.required, q.met) == (0, 2, False)
    with pytest.raises(DomainError) as refused:
        final_set(examinee=oral.examinee, actor=oral.user("chair"), score=80)
    assert refused.value.code == "no_quorum"


def test_the_kazakh_and_russian_messages_say_how_many_more_are_needed(oral):
    seven(oral)  # 3 of 7 present: 5 needed, 2 more
    expected = {
        "kk": ("Кворум жоқ: 7 мүшенің 3 қатысады, кворум — 5", "Тағы 2 мүше қатысуы керек."),
        "ru": (
            "Нет кворума: присутствуют 3 из 7, кворум — 5",
            "Должны присутствовать ещё 2 члена комиссии.",
        ),
    }
    for language, (line, more) in expected.items():
        with translation.override(language), pytest.raises(DomainError) as refused:
            final_set(examinee=oral.examinee, actor=oral.user("chair"), score=80)
        assert line in refused.value.message and more in refused.value.message


# --- Attendance (K-2) -----------------------------------------------------------------------


def test_attendance_changes_during_the_sitting_and_each_change_is_audited(world):
    member = world.user("member")
    row = mark(world, member, False)
    assert row.present is False and row.marked_by == world.user("secretary")
    mark(world, member, True)
    assert Attendance.objects.get(sitting=world.sitting, user=member).present
    changes = AuditEntry.objects.filter(action="sitting.attendance", data__user=member.pk)
    assert [(a.from_state, a.to_state) for a in changes.order_by("pk")] == [
        ("", "present"),
        ("present", "absent"),
        ("absent", "present"),
    ]
    # A repeat changes nothing and writes nothing.
    mark(world, member, True)
    assert changes.count() == 3


def test_attendance_of_someone_outside_the_commission_is_422_and_stores_nothing(world):
    before = Attendance.objects.count()
    for user in (world.user("outsider"), world.user("secretary"), world.user("student")):
        with pytest.raises(DomainError) as refused:
            mark(world, user, True)
        assert (refused.value.status, refused.value.code) == (422, "not_in_commission")
    with pytest.raises(DomainError) as bad:
        attendance_set(
            sitting=world.sitting, user_id="x", present=True, actor=world.user("secretary")
        )
    assert bad.value.status == 422
    assert Attendance.objects.count() == before


def test_only_the_secretary_records_attendance(world):
    for persona in ("chair", "member", "deputy"):
        with pytest.raises(DomainError) as refused:
            attendance_set(
                sitting=world.sitting,
                user_id=world.user("member").pk,
                present=False,
                actor=world.user(persona),
            )
        assert refused.value.status == 403
    assert Attendance.objects.get(sitting=world.sitting, user=world.user("member")).present


def test_a_member_marked_absent_cannot_score_in_that_sitting(oral):
    member = oral.user("member")
    mark(oral, member, False)
    with pytest.raises(DomainError) as refused:
        score_set(examinee=oral.examinee, member=member, score=70)
    assert refused.value.code == "absent" and refused.value.status == 409
    assert not Score.objects.filter(member=member).exists()
    mark(oral, member, True)
    score_set(examinee=oral.examinee, member=member, score=70)


def test_attendance_is_closed_once_the_results_are_announced(oral):
    chair = oral.user("chair")
    final_set(examinee=oral.examinee, actor=chair, score=80)
    final_set(examinee=oral.other_examinee, actor=chair, score=70)
    sitting_announce(sitting=oral.sitting, actor=chair)
    with pytest.raises(DomainError) as refused:
        mark(oral, oral.user("member"), False)
    assert refused.value.code == "announced"


# --- The deputy chair (K-1) -----------------------------------------------------------------


def test_the_deputy_acts_only_for_a_chair_marked_absent_and_is_recorded_acting(oral):
    deputy = oral.user("deputy")
    with pytest.raises(DomainError) as refused:
        final_set(examinee=oral.examinee, actor=deputy, score=80)
    assert refused.value.code == "chair_present"
    with pytest.raises(DomainError):
        sitting_announce(sitting=oral.sitting, actor=deputy)

    mark(oral, oral.user("chair"), False)  # 2 of 3 present: still the quorum
    final_set(examinee=oral.examinee, actor=deputy, score=80)
    final_set(examinee=oral.other_examinee, actor=deputy, score=71)
    sitting_announce(sitting=oral.sitting, actor=deputy)
    final = AuditEntry.objects.get(action="grade.final", target_id=str(oral.examinee.pk))
    assert final.actor == deputy and final.data["acting"] == "deputy"
    announce = AuditEntry.objects.get(action="sitting.announce")
    assert announce.data["acting"] == "deputy"


def test_a_member_who_is_not_the_deputy_never_acts_for_the_chair(oral):
    mark(oral, oral.user("chair"), False)
    with pytest.raises(DomainError) as refused:
        final_set(examinee=oral.examinee, actor=oral.user("member"), score=80)
    assert refused.value.status == 403


def test_the_deputy_decides_an_absence_application_when_the_chair_is_absent(world):
    from attestation.applications.access import can_decide
    from attestation.applications.models import Application
    from attestation.applications.services import absence_decide
    from tests.applications_world import absent, next_sitting

    next_sitting(world)
    absent(world)
    application = Application.objects.create(
        examinee=world.examinee, kind="absence", reason="illness", text="Ауырдым."
    )
    deputy = world.user("deputy")
    assert not can_decide(deputy, application)
    with pytest.raises(DomainError) as refused:
        absence_decide(application=application, actor=deputy, approve=False, reason="no")
    assert refused.value.code == "chair_present"

    mark(world, world.user("chair"), False)
    assert can_decide(deputy, application)
    absence_decide(application=application, actor=deputy, approve=False, reason="Дәлелсіз.")
    entry = AuditEntry.objects.get(action="application.reject")
    assert entry.actor == deputy and entry.data["acting"] == "deputy"


def test_only_one_deputy_chair_per_commission(world):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        MembershipFactory(commission=world.commission, user=world.user("member"), role=R.DEPUTY)


# --- Conflicts of interest (K-3) ------------------------------------------------------------


def test_a_recused_member_is_refused_their_score_is_removed_and_quorum_counts_without_them(oral):
    member = oral.user("member")
    score_set(examinee=oral.examinee, member=member, score=55)
    recusal, created = recusal_declare(
        examinee=oral.examinee, actor=member, reason="I supervised this student's practice"
    )
    assert created and recusal.user == member
    assert not Score.objects.filter(examinee=oral.examinee, member=member).exists()
    assert AuditEntry.objects.filter(action="grade.score_removed", from_state="55").exists()
    with pytest.raises(DomainError) as refused:
        score_set(examinee=oral.examinee, member=member, score=60)
    assert refused.value.code == "recused" and refused.value.status == 409
    # The other examinee is not concerned.
    score_set(examinee=oral.other_examinee, member=member, score=60)
    q = quorum.examinee_quorum(oral.examinee)
    assert (q.present, q.members, q.required) == (2, 2, 2)
    # Without them, both others must be present: the deputy leaves → no quorum for this one.
    mark(oral, oral.user("deputy"), False)
    with pytest.raises(DomainError) as no_quorum:
        final_set(examinee=oral.examinee, actor=oral.user("chair"), score=70)
    assert no_quorum.value.code == "no_quorum"
    final_set(examinee=oral.other_examinee, actor=oral.user("chair"), score=60)


def test_a_recusal_needs_a_reason(oral):
    with pytest.raises(DomainError) as refused:
        recusal_declare(examinee=oral.examinee, actor=oral.user("member"), reason="  ")
    assert refused.value.status == 422
    assert not Recusal.objects.exists()


def test_the_chair_can_recuse_too_and_a_repeat_keeps_one_row(oral):
    chair = oral.user("chair")
    recusal_declare(examinee=oral.examinee, actor=chair, reason="relative")
    _, created = recusal_declare(examinee=oral.examinee, actor=chair, reason="a relative")
    assert not created
    assert Recusal.objects.get(examinee=oral.examinee).reason == "a relative"
    with pytest.raises(DomainError) as refused:
        score_set(examinee=oral.examinee, member=chair, score=70)
    assert refused.value.code == "recused"


@pytest.mark.parametrize(
    ("supervisor", "full_name", "same"),
    [
        ("Жақсылықова Г. Ә., т.ғ.к., доцент", "Жақсылықова Гүлжан Әбдірахманқызы", True),
        ("Жақсылықова Гүлжан", "Жақсылықова Гүлжан Әбдірахманқызы", True),
        ("жақсылықова г.", "Жақсылықова Гүлжан", True),
        ("Жақсылықова А. Ә.", "Жақсылықова Гүлжан Әбдірахманқызы", False),
        ("Ахметов Ә. Қ., т.ғ.к.", "Жақсылықова Гүлжан", False),
        ("Жақсылықова", "Жақсылықова Гүлжан", False),  # a surname alone is not enough
        ("", "Жақсылықова Гүлжан", False),
    ],
)
def test_the_supervisor_is_recognised_by_surname_and_initials(supervisor, full_name, same):
    assert quorum.supervisor_matches(supervisor, full_name) is same


def test_the_thesis_supervisor_on_the_commission_is_recused_automatically(world):
    Sitting.objects.filter(pk=world.sitting.pk).update(form=Sitting.Form.DEFENSE)
    world.sitting.refresh_from_db()
    member = world.user("member")  # Жақсылықова Гүлжан
    world.examinee.supervisor = "Жақсылықова Г., PhD, қауымдастырылған профессор"
    world.examinee.save(update_fields=["supervisor"])
    world.examinee.refresh_from_db()
    admit(world, world.examinee, draw=False)
    # Before any row is written, the rule already holds.
    with pytest.raises(DomainError) as refused:
        score_set(examinee=world.examinee, member=member, score=90)
    assert refused.value.code == "recused"
    made = supervisor_recusals_sync(sitting=world.sitting)
    assert [(r.user, r.automatic) for r in made] == [(member, True)]
    assert supervisor_recusals_sync(sitting=world.sitting) == []  # idempotent
    with translation.override("en"):
        assert made[0].reason_text == "The supervisor of this thesis"
    q = quorum.examinee_quorum(world.examinee)
    assert (q.present, q.members) == (2, 2)
    # The secretary's attendance also writes it (here: already there, nothing new).
    mark(world, member, True)
    assert Recusal.objects.filter(examinee=world.examinee).count() == 1


# --- The proposed final grade (K-4) ---------------------------------------------------------


def test_the_proposed_grade_is_the_mean_of_present_non_recused_scores_rounded_half_up(oral):
    chair, member, deputy = oral.user("chair"), oral.user("member"), oral.user("deputy")
    score_set(examinee=oral.examinee, member=chair, score=70)
    score_set(examinee=oral.examinee, member=member, score=81)
    assert quorum.proposed_final(oral.examinee) == 76  # 75.5 → 76
    score_set(examinee=oral.examinee, member=deputy, score=20)
    assert quorum.proposed_final(oral.examinee) == 57  # 171 / 3
    # The deputy leaves the sitting: their score no longer counts.
    mark(oral, deputy, False)
    assert quorum.proposed_final(oral.examinee) == 76
    row = examinee_board(oral.examinee, chair)["row"]
    assert [(s.member, s.score) for s in row.not_counted] == [(deputy, 20)]
    # The member recuses: their score is gone.
    recusal_declare(examinee=oral.examinee, actor=member, reason="conflict")
    assert quorum.proposed_final(oral.examinee) == 70
    board = examinee_board(oral.examinee, chair)
    assert board["row"].proposed == 70 and board["row"].offered == 70


def test_a_final_far_from_the_proposed_grade_needs_a_reason(oral, settings):
    settings.GRADE_SPREAD_THRESHOLD = 10
    chair, member = oral.user("chair"), oral.user("member")
    score_set(examinee=oral.examinee, member=chair, score=80)
    score_set(examinee=oral.examinee, member=member, score=80)
    final_set(examinee=oral.examinee, actor=chair, score=90)  # 10 away: no reason needed
    with pytest.raises(DomainError) as refused:
        final_set(examinee=oral.examinee, actor=chair, score=91)
    assert (refused.value.status, refused.value.code) == (422, "reason_required")
    oral.examinee.refresh_from_db()
    assert oral.examinee.final_score == 90
    final_set(examinee=oral.examinee, actor=chair, score=60, reason="Weak answers to questions")
    entry = AuditEntry.objects.filter(action="grade.final").order_by("pk").last()
    assert entry.reason == "Weak answers to questions" and entry.data["proposed"] == 80


# --- Dissenting opinions (K-4) --------------------------------------------------------------


def test_a_member_records_a_dissenting_opinion_the_chair_sees_it(oral):
    member = oral.user("member")
    dissent, created = dissent_record(
        examinee=oral.examinee, member=member, text="Баға тым жоғары: екінші сұраққа жауап жоқ."
    )
    assert created
    again, created = dissent_record(examinee=oral.examinee, member=member, text="Тым жоғары.")
    assert not created and again.pk == dissent.pk and again.text == "Тым жоғары."
    row = examinee_board(oral.examinee, oral.user("chair"))["row"]
    assert [d.text for d in row.dissents] == ["Тым жоғары."]
    assert AuditEntry.objects.filter(action="examinee.dissent").count() == 2


def test_a_dissent_needs_text_and_not_from_a_recused_or_absent_member(oral):
    member, deputy = oral.user("member"), oral.user("deputy")
    with pytest.raises(DomainError) as empty:
        dissent_record(examinee=oral.examinee, member=member, text=" ")
    assert empty.value.status == 422
    recusal_declare(examinee=oral.examinee, actor=member, reason="conflict")
    with pytest.raises(DomainError) as recused:
        dissent_record(examinee=oral.examinee, member=member, text="no")
    assert recused.value.code == "recused"
    mark(oral, deputy, False)
    with pytest.raises(DomainError) as absent:
        dissent_record(examinee=oral.examinee, member=deputy, text="no")
    assert absent.value.code == "absent"
    with pytest.raises(DomainError) as chair:
        dissent_record(examinee=oral.examinee, member=oral.user("chair"), text="no")
    assert chair.value.status == 403
    assert not Dissent.objects.exists()


# --- Set-up (K-1) ---------------------------------------------------------------------------


def test_the_set_up_warns_about_an_employee_chair_and_a_missing_order(world):
    with translation.override("en"):
        warnings = commission_setup_warnings(world.commission)
        assert any("approving order" in w for w in warnings)
        assert not any("employee" in w for w in warnings)
        chair = world.user("chair")
        chair.is_university_employee = True
        chair.save(update_fields=["is_university_employee"])
        world.commission.order_number = "112-НҚ"
        world.commission.order_date = world.sitting.starts_at.date()
        world.commission.save()
        warnings = commission_setup_warnings(world.commission)
    assert len(warnings) == 1 and "employee of the university" in warnings[0]


def test_attend_all_marks_the_whole_commission(world):
    attend_all(world.sitting, world.user("secretary"), absent=(world.user("member"),))
    q = quorum.sitting_quorum(world.sitting)
    assert (q.present, q.members) == (2, 3)
