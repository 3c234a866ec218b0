"""The decision's pages (SPEC K-2 … K-4): the secretary's attendance panel (htmx and plain
POST), the quorum on the grading pages, a member's recusal and dissent forms."""

import pytest

from attestation.commissions.models import Attendance, Dissent, Recusal
from attestation.grading.models import Score
from attestation.grading.services import score_set
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def oral(world):
    make_oral(world)
    admit(world, world.examinee, draw=False)
    return world


def mark_url(world):
    return f"/en/staff/sittings/{world.sitting.pk}/attendance/mark/"


def test_the_console_shows_the_attendance_panel_with_the_quorum_line(world, client_for):
    html = client_for(world.user("secretary")).get(f"/en/staff/sittings/{world.sitting.pk}/")
    html = html.content.decode()
    assert 'id="attendance"' in html
    assert "present 3 of 3, quorum 2 (two thirds)" in html
    assert 'data-mark-absent="member_p"' in html
    # A member sees the panel without the buttons.
    html = client_for(world.user("member")).get(f"/en/staff/sittings/{world.sitting.pk}/")
    assert "data-mark-absent" not in html.content.decode()


def test_the_secretary_marks_a_member_absent_with_htmx_and_gets_the_panel(world, client_for):
    client = client_for(world.user("secretary"))
    member = world.user("member")
    response = client.post(mark_url(world), {"user_id": member.pk, "present": "0"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "present 2 of 3, quorum 2 (two thirds)" in html and 'id="attendance"' in html
    assert not Attendance.objects.get(sitting=world.sitting, user=member).present
    response = client.post(mark_url(world), {"user_id": member.pk, "present": "1"})
    assert response.status_code == 302
    assert Attendance.objects.get(sitting=world.sitting, user=member).present


@pytest.mark.parametrize(
    "data",
    [{"user_id": "outsider", "present": "1"}, {"present": "1"}, {"user_id": "1", "present": "x"}],
)
def test_a_bad_mark_is_refused_with_a_message_and_changes_nothing(world, client_for, data):
    if data.get("user_id") == "outsider":
        data = {**data, "user_id": world.user("outsider").pk}
    before = list(Attendance.objects.values_list("user_id", "present"))
    response = client_for(world.user("secretary")).post(mark_url(world), data, **HTMX)
    assert response.status_code == 200
    assert 'class="alert alert--error"' in response.content.decode()
    assert list(Attendance.objects.values_list("user_id", "present")) == before


def test_the_grading_console_shows_the_quorum_to_the_commission(world, client_for):
    Attendance.objects.filter(sitting=world.sitting, user=world.user("deputy")).delete()
    for persona in ("chair", "member", "secretary"):
        html = client_for(world.user(persona)).get(f"/en/grading/sittings/{world.sitting.pk}/")
        assert "present 2 of 3, quorum 2 (two thirds)" in html.content.decode(), persona


def test_the_acting_deputy_is_told_so_and_gets_the_final_form(oral, client_for):
    from attestation.commissions.decision import attendance_set

    client = client_for(oral.user("deputy"))
    url = f"/en/grading/examinees/{oral.examinee.pk}/"
    assert 'class="final-form"' not in client.get(url).content.decode()
    attendance_set(
        sitting=oral.sitting,
        user_id=oral.user("chair").pk,
        present=False,
        actor=oral.user("secretary"),
    )
    html = client.get(url).content.decode()
    assert 'class="final-form"' in html and "data-acting" in html


def test_a_member_declares_a_conflict_and_records_a_dissent_from_the_page(oral, client_for):
    member = oral.user("member")
    score_set(examinee=oral.examinee, member=member, score=40)
    client = client_for(member)
    page = f"/en/grading/examinees/{oral.examinee.pk}/"
    html = client.get(page).content.decode()
    assert 'class="recusal-form"' in html and 'class="dissent-form"' in html
    response = client.post(
        f"/en/grading/examinees/{oral.examinee.pk}/dissent/", {"text": "Too high", "next": page}
    )
    assert response.status_code == 302 and response["Location"] == page
    assert Dissent.objects.get(examinee=oral.examinee, member=member).text == "Too high"
    response = client.post(
        f"/en/grading/examinees/{oral.examinee.pk}/recusal/",
        {"reason": "My nephew", "next": page},
        follow=True,
    )
    assert "you do not grade them" in response.content.decode()
    assert Recusal.objects.filter(examinee=oral.examinee, user=member).exists()
    assert not Score.objects.filter(examinee=oral.examinee, member=member).exists()
    html = client.get(page).content.decode()
    assert 'class="recusal-form"' not in html and 'class="dissent-form"' not in html
    # An empty reason: a message, nothing stored.
    response = client.post(
        f"/en/grading/examinees/{oral.other_examinee.pk}/recusal/", {"reason": ""}, follow=True
    )
    assert "Give the reason for the conflict of interest." in response.content.decode()
    assert not Recusal.objects.filter(examinee=oral.other_examinee).exists()


def test_a_member_marked_absent_or_recused_is_offered_no_score_form(oral, client_for):
    # The service refuses their score (K-2, K-3): the pages say why instead of a form that
    # would only answer with an error.
    from attestation.commissions.decision import attendance_set, recusal_declare

    member = oral.user("member")
    client = client_for(member)
    page = f"/en/grading/examinees/{oral.examinee.pk}/"
    console = f"/en/grading/sittings/{oral.sitting.pk}/"
    assert 'class="score-form"' in client.get(page).content.decode()
    assert "score-form" in client.get(console).content.decode()
    attendance_set(
        sitting=oral.sitting, user_id=member.pk, present=False, actor=oral.user("secretary")
    )
    html = client.get(page).content.decode()
    assert "score-form" not in html and "data-not-grading" in html
    assert "You are marked absent at this sitting: you do not grade in it." in html
    html = client.get(console).content.decode()
    assert "score-form" not in html and "data-not-grading" in html
    attendance_set(
        sitting=oral.sitting, user_id=member.pk, present=True, actor=oral.user("secretary")
    )
    recusal_declare(examinee=oral.examinee, actor=member, reason="My nephew")
    html = client.get(page).content.decode()
    assert "score-form" not in html and "conflict of interest" in html
