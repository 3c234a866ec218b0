"""K-11: a student who failed a part (an unsatisfactory grade, or absent without a valid
reason) applies for a repeat attestation of that part only, no earlier than a year after its
sitting; a passed part is never re-sat. The chair of the SAC decides and may place the
student in a later sitting. Services, API and pages, with time frozen."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from attestation.applications import services
from attestation.applications.deadlines import repeat_opens
from attestation.applications.models import Application
from attestation.audit.models import AuditEntry
from attestation.commissions import services as commission_services
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.core.errors import DomainError
from attestation.grading.services import final_set, sitting_announce
from tests.factories import CommissionFactory, MembershipFactory, SittingFactory, UserFactory
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db
A = Application
URL = "/api/v1/applications"
PROGRAMME = "6B06101 Ақпараттық жүйелер"


def failed(world, *, score=40, no_show=False):
    """An oral exam, announced: the student failed it (a grade of `score`, or absent without
    a valid reason); the other student passed with 85."""
    make_oral(world)
    chair = world.user("chair")
    if no_show:
        commission_services.examinee_mark_absent(
            examinee=world.examinee, actor=world.user("secretary")
        )
    else:
        admit(world, world.examinee, draw=False)
        final_set(examinee=world.examinee, actor=chair, score=score)
    admit(world, world.other_examinee, draw=False)
    final_set(examinee=world.other_examinee, actor=chair, score=85)
    sitting_announce(sitting=world.sitting, actor=chair)
    for row in (world.sitting, world.examinee, world.other_examinee):
        row.refresh_from_db()
    return world.examinee


def a_year_on(world, days=0):
    """The clock stops on the morning a repeat attestation opens (or `days` later)."""
    return time_machine.travel(
        repeat_opens(world.sitting) + timedelta(days=days, hours=9), tick=False
    )


def file_repeat(world, persona="student", examinee=None):
    return services.application_file(
        examinee=examinee or world.examinee,
        actor=world.user(persona),
        kind="repeat",
        reason="",
        text="Қайта аттестаттаудан өтуге рұқсат сұраймын.",
    )


def later_sitting(world, *, after_opens=timedelta(days=30), commission=None, **fields):
    return SittingFactory(
        commission=commission or world.commission,
        form=fields.pop("form", Sitting.Form.ORAL_EXAM),
        title=world.sitting.title,
        starts_at=repeat_opens(world.sitting) + after_opens,
        **fields,
    )


# --- Filing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("no_show,reason", [(False, "failed"), (True, "no_show")])
def test_a_failed_part_may_be_repeated_a_year_later(world, no_show, reason):
    failed(world, no_show=no_show)
    with a_year_on(world):
        application = file_repeat(world)
    assert (application.kind, application.status, application.reason) == (
        "repeat",
        "submitted",
        reason,
    )
    assert AuditEntry.objects.filter(action="application.repeat", target_id=application.pk)


def test_too_early_names_the_date_from_which_it_is_possible(world, settings):
    failed(world)
    opens = repeat_opens(world.sitting)
    assert timezone.localtime(opens).date() == (
        timezone.localtime(world.sitting.starts_at).date().replace(year=2027)
    )
    with time_machine.travel(opens - timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError) as refused:
            file_repeat(world)
    assert (refused.value.code, refused.value.status) == ("too_early", 409)
    day = timezone.localtime(opens).day
    assert str(day) in refused.value.message and "2027" in refused.value.message
    assert not A.objects.exists()
    with time_machine.travel(opens, tick=False):
        assert file_repeat(world).status == A.Status.SUBMITTED


def test_a_passed_part_is_never_re_sat(world):
    failed(world)
    with a_year_on(world), translation.override("en"):
        with pytest.raises(DomainError) as refused:
            file_repeat(world, "other_student", world.other_examinee)
    assert (refused.value.code, refused.value.status) == ("passed", 409)
    assert "improve a passing grade" in refused.value.message
    assert not A.objects.exists()


def test_the_lowest_passing_grade_is_passed_and_just_below_is_failed(world):
    failed(world, score=50)
    with a_year_on(world), pytest.raises(DomainError) as refused:
        file_repeat(world)
    assert refused.value.code == "passed"
    Examinee.objects.filter(pk=world.examinee.pk).update(final_score=49)
    world.examinee.refresh_from_db()
    with a_year_on(world):
        assert file_repeat(world).reason == "failed"


def test_a_part_passed_later_is_not_repeated_again(world):
    failed(world)
    later = later_sitting(world, announced_at=timezone.now(), status="announced")
    student = world.examinee.student
    Examinee.objects.create(sitting=later, student=student, position=1, final_score=70)
    with a_year_on(world, days=60), pytest.raises(DomainError) as refused:
        file_repeat(world)
    assert refused.value.code == "passed"


def test_not_announced_or_absent_for_a_valid_reason_is_not_a_failure(world):
    commission_services.examinee_mark_absent(examinee=world.examinee, actor=world.user("secretary"))
    with a_year_on(world), pytest.raises(DomainError) as refused:
        file_repeat(world)
    assert refused.value.code == "not_failed"
    Examinee.objects.filter(pk=world.examinee.pk).update(status=Examinee.Status.ABSENT_VALID)
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=timezone.now())
    world.examinee.refresh_from_db()
    with a_year_on(world), pytest.raises(DomainError) as refused:
        file_repeat(world)
    assert refused.value.code == "not_failed"


def test_once_waiting_or_approved_it_is_not_filed_again(world):
    failed(world)
    with a_year_on(world):
        application = file_repeat(world)
        with pytest.raises(DomainError) as again:
            file_repeat(world)
        assert again.value.code == "pending"
        services.repeat_decide(
            application=application, actor=world.user("chair"), approve=True, reason="Рұқсат"
        )
        with pytest.raises(DomainError) as approved:
            file_repeat(world)
    assert approved.value.code == "already_approved"


def test_after_a_rejection_the_student_may_apply_again(world):
    failed(world)
    with a_year_on(world):
        application = file_repeat(world)
        services.repeat_decide(
            application=application, actor=world.user("chair"), approve=False, reason="Ерте"
        )
        assert file_repeat(world).status == A.Status.SUBMITTED


# --- The chair's decision --------------------------------------------------------------------


def test_the_chair_approves_and_places_the_student_at_the_end_of_a_later_list(
    world, django_capture_on_commit_callbacks
):
    failed(world)
    target = later_sitting(world)
    Examinee.objects.create(sitting=target, student=world.other_examinee.student, position=3)
    with a_year_on(world):
        application = file_repeat(world)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decided = services.repeat_decide(
                application=application,
                actor=world.user("chair"),
                approve=True,
                reason="Рұқсат етілді",
                new_sitting=target,
            )
    assert decided.status == A.Status.APPROVED and decided.new_sitting == target
    placed = Examinee.objects.get(sitting=target, student=world.examinee.student)
    assert placed.position == 4 and placed.status == Examinee.Status.WAITING
    # The failed part's own record stays as it was.
    assert Examinee.objects.get(pk=world.examinee.pk).final_score == 40
    assert AuditEntry.objects.filter(action="application.approve", target_id=decided.pk)
    to = {m.to[0]: m for m in mail.outbox}
    assert world.user("student").email in to and world.user("secretary").email in to
    body = to[world.user("student").email].body
    assert "Рұқсат етілді" in body
    # The secretary keeps the list: told who and where, not "your application".
    secretary = to[world.user("secretary").email].body
    assert world.examinee.student.full_name in secretary and "Жаңа отырыс" in secretary
    assert "өтінішіңіз" not in secretary
    assert "Қайта аттестаттау туралы өтінішіңіз қанағаттандырылды" in body


def test_approval_without_a_sitting_records_it_only(world):
    failed(world)
    before = Examinee.objects.count()
    with a_year_on(world):
        decided = services.repeat_decide(
            application=file_repeat(world),
            actor=world.user("chair"),
            approve=True,
            reason="Рұқсат",
        )
    assert decided.status == A.Status.APPROVED and decided.new_sitting is None
    assert Examinee.objects.count() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"after_opens": -timedelta(days=2)},  # sooner than a year after the failed sitting
        {"form": Sitting.Form.WRITTEN_EXAM},  # another part
        {"commission": "other"},  # a commission this chair does not chair
    ],
    ids=["too-soon", "other-form", "other-commission"],
)
def test_a_sitting_that_does_not_fit_is_refused_and_nothing_stored(world, fields):
    failed(world)
    if fields.get("commission") == "other":
        fields["commission"] = world.other_commission
    target = later_sitting(world, **fields)
    with a_year_on(world):
        application = file_repeat(world)
        with pytest.raises(DomainError) as refused:
            services.repeat_decide(
                application=application,
                actor=world.user("chair"),
                approve=True,
                reason="x",
                new_sitting=target,
            )
    assert (refused.value.code, refused.value.status) == ("invalid_sitting", 422)
    application.refresh_from_db()
    assert application.status == A.Status.SUBMITTED
    assert not target.examinees.exists()


def test_the_chair_of_a_later_sac_of_the_programme_decides(world):
    world.commission.programme = PROGRAMME
    world.commission.save()
    failed(world)
    next_year = CommissionFactory(code="next-sac", programme=PROGRAMME, year=2027)
    chair = UserFactory(username="chair2027")
    MembershipFactory(commission=next_year, user=chair, role=Membership.Role.CHAIR)
    target = later_sitting(world, commission=next_year)
    with a_year_on(world):
        application = file_repeat(world)
        for persona in ("member", "secretary", "outsider"):
            with pytest.raises(DomainError) as refused:
                services.repeat_decide(
                    application=application, actor=world.user(persona), approve=False, reason="x"
                )
            assert refused.value.status == 403, persona
        decided = services.repeat_decide(
            application=application, actor=chair, approve=True, reason="Ok", new_sitting=target
        )
    assert decided.new_sitting == target


# --- API -------------------------------------------------------------------------------------


def post_repeat(client, api_for, examinee, persona="student", language="en"):
    return client.post(
        URL,
        {"examinee_id": examinee.pk, "kind": "repeat", "reason": "other", "text": "Өтінемін"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **api_for(persona),
    )


def test_api_files_reads_and_decides_a_repeat(world, client, api_for):
    failed(world)
    target = later_sitting(world)
    with a_year_on(world):
        response = post_repeat(client, api_for, world.examinee)
        assert response.status_code == 201, response.content
        pk = response.json()["id"]
        seen = client.get(f"{URL}/{pk}", **api_for("student")).json()
        assert (seen["kind"], seen["reason"], seen["status"]) == ("repeat", "failed", "submitted")
        for persona in ("member", "secretary", "outsider", "other_student"):
            assert client.get(f"{URL}/{pk}", **api_for(persona)).status_code == 404, persona
        decision = client.post(
            f"{URL}/{pk}/decision",
            {"approve": True, "reason": "Рұқсат", "new_sitting_id": target.pk},
            content_type="application/json",
            **api_for("chair"),
        )
    assert decision.status_code == 200, decision.content
    assert decision.json()["new_sitting_id"] == target.pk
    assert client.get(f"{URL}/{pk}", **api_for("student")).json()["new_sitting_id"] == target.pk


@pytest.mark.parametrize("language,words", [("en", "improve"), ("ru", "повыш"), ("kk", "жақсарт")])
def test_api_a_passed_part_is_409_passed_translated(world, client, api_for, language, words):
    failed(world)
    with a_year_on(world):
        response = post_repeat(client, api_for, world.other_examinee, "other_student", language)
    assert response.status_code == 409 and response.json()["code"] == "passed"
    assert words in response.json()["detail"]
    assert not A.objects.exists()


def test_api_too_early_is_409_with_the_date(world, client, api_for):
    failed(world)
    opens = timezone.localtime(repeat_opens(world.sitting))
    with time_machine.travel(opens - timedelta(days=20), tick=False):
        response = post_repeat(client, api_for, world.examinee, language="ru")
    assert response.status_code == 409 and response.json()["code"] == "too_early"
    assert "2027" in response.json()["detail"] and str(opens.day) in response.json()["detail"]


# --- Pages -----------------------------------------------------------------------------------


def test_the_repeat_form_is_offered_only_where_it_would_be_accepted(world, client_for):
    failed(world)
    new = f"/en/applications/new/{world.examinee.pk}/"
    student = client_for(world.user("student"))
    soon = student.get("/en/applications/").content.decode()
    assert "Apply for a repeat attestation" not in soon
    # Too early: told from when, with no form to fill in.
    opens = timezone.localtime(repeat_opens(world.sitting))
    assert "data-repeat-later" in soon and f"applied for from {opens.day} " in soon
    assert f"{new}?kind=repeat" not in soon
    with a_year_on(world):
        # Signed in again a year on (the first session has long expired).
        student = client_for(world.user("student"))
        mine = student.get("/en/applications/").content.decode()
        assert "Apply for a repeat attestation" in mine and f"{new}?kind=repeat" in mine
        assert "data-repeat-later" not in mine
        assert "Apply for a repeat attestation" in student.get("/en/training/sac/").content.decode()
        form = student.get(f"{new}?kind=repeat").content.decode()
        assert "Repeat attestation" in form and "graded unsatisfactory (40)" in form
        assert 'name="reason"' not in form
        sent = student.post(new, {"kind": "repeat", "text": "Өтінемін"}, follow=True)
        assert "Your application has been sent." in sent.content.decode()
        assert A.objects.get().kind == "repeat"
        assert b"Apply for a repeat attestation" not in student.get("/en/applications/").content
        other_page = client_for(world.user("other_student")).get("/en/applications/")
        other_page = other_page.content.decode()
        assert "Apply for a repeat attestation" not in other_page


def test_the_chair_decides_on_the_page_and_places_the_student(world, client_for):
    failed(world)
    target = later_sitting(world)
    with a_year_on(world):
        application = file_repeat(world)
        chair = client_for(world.user("chair"))
        page = chair.get(f"/en/applications/{application.pk}/").content.decode()
        assert "Approve the repeat attestation" in page and f'value="{target.pk}"' in page
        done = chair.post(
            f"/en/applications/{application.pk}/decide/",
            {"decision": "approve", "reason": "Рұқсат", "new_sitting": target.pk},
            follow=True,
        )
    assert "The decision is recorded." in done.content.decode()
    assert Examinee.objects.filter(sitting=target, student=world.examinee.student).exists()


def test_the_failed_sittings_protocol_notes_no_appeal_for_a_repeat(world):
    from attestation.records.appeal import sitting_application_notes

    failed(world)
    with a_year_on(world):
        services.repeat_decide(
            application=file_repeat(world), actor=world.user("chair"), approve=True, reason="Ok"
        )
    with translation.override("en"):
        assert sitting_application_notes(world.sitting) == []


def test_a_repeat_application_is_404_outside_its_student_and_the_chair(world, client_for):
    failed(world)
    with a_year_on(world):
        application = file_repeat(world)
        url = f"/en/applications/{application.pk}/"
        for persona, status in (
            ("student", 200),
            ("chair", 200),
            ("member", 404),
            ("secretary", 404),
            ("outsider", 404),
            ("other_student", 404),
        ):
            page = client_for(world.user(persona))
            assert page.get(url).status_code == status, persona
            if status == 404:
                decided = page.post(f"{url}decide/", {"decision": "approve", "reason": "x"})
                assert decided.status_code == 404, persona
    application.refresh_from_db()
    assert application.status == A.Status.SUBMITTED
