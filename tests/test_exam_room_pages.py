"""The exam room and the console as pages: what the student and the secretary see and press."""

import pytest

from attestation.commissions import services
from attestation.tickets.models import Draw
from tests.personas import admit

pytestmark = pytest.mark.django_db


def test_student_must_confirm_rules_before_the_entry_shows(world, client_for):
    client = client_for(world.user("student"))
    html = client.get(f"/en/exam/{world.examinee.pk}/").content.decode()
    assert "Confirm the rules" in html and 'id="entry"' not in html
    client.post(f"/en/exam/{world.examinee.pk}/rules/")
    html = client.get(f"/en/exam/{world.examinee.pk}/").content.decode()
    assert 'id="entry"' in html and "entry--red" in html


def test_entry_fragment_turns_green_after_admission(world, client_for):
    client = client_for(world.user("student"))
    url = f"/en/exam/{world.examinee.pk}/entry/"
    assert "entry--red" in client.get(url).content.decode()
    admit(world)
    html = client.get(url).content.decode()
    assert "entry--green" in html
    assert f"/en/exam/{world.examinee.pk}/draw/" in html


def test_draw_page_shows_face_down_cards_without_numbers(world, client_for):
    admit(world)
    html = (
        client_for(world.user("student"))
        .get(f"/en/exam/{world.examinee.pk}/draw/")
        .content.decode()
    )
    assert html.count('class="ticket-card"') == 5
    for ticket in world.sitting.ticket_bank.tickets.all():
        for question in ticket.questions.all():
            assert question.text not in html


def test_choosing_a_card_opens_the_ticket_page(world, client_for):
    admit(world)
    client = client_for(world.user("student"))
    response = client.post(f"/en/exam/{world.examinee.pk}/draw/", {"position": "2"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/exam/{world.examinee.pk}/ticket/")
    draw = Draw.objects.get(examinee=world.examinee)
    html = client.get(response["Location"]).content.decode()
    assert f"Ticket № {draw.ticket.number}" in html
    for question in draw.ticket.questions.all():
        assert question.text in html
    # A second POST (double click, another tab) lands on the same ticket.
    client.post(f"/en/exam/{world.examinee.pk}/draw/", {"position": "4"})
    assert Draw.objects.filter(examinee=world.examinee).count() == 1


def test_draw_before_admission_changes_nothing(world, client_for):
    client = client_for(world.user("student"))
    response = client.post(f"/en/exam/{world.examinee.pk}/draw/", {"position": "1"}, follow=True)
    assert "not been admitted" in response.content.decode()
    assert not Draw.objects.exists()


def test_other_students_exam_room_is_404(world, client_for):
    client = client_for(world.user("other_student"))
    for suffix in ("", "entry/", "draw/", "ticket/"):
        assert client.get(f"/en/exam/{world.examinee.pk}/{suffix}").status_code == 404


def test_secretary_checks_identity_then_admits_from_the_console(world, client_for):
    services.rules_acknowledge(examinee=world.examinee, actor=world.user("student"))
    client = client_for(world.user("secretary"))
    page = client.get(f"/en/staff/sittings/{world.sitting.pk}/").content.decode()
    assert "Next by the list" in page and "Абаев Әлихан" in page
    response = client.post(
        f"/en/staff/examinees/{world.examinee.pk}/identify/",
        {"note": "ID shown"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "identity checked" in response.content.decode()
    client.post(f"/en/staff/examinees/{world.examinee.pk}/admit/", HTTP_HX_REQUEST="true")
    world.examinee.refresh_from_db()
    assert world.examinee.status == "admitted"
    assert world.examinee.identity_note == "ID shown"


def test_console_says_why_admission_is_refused(world, client_for):
    client = client_for(world.user("secretary"))
    client.post(f"/en/staff/examinees/{world.examinee.pk}/identify/", HTTP_HX_REQUEST="true")
    response = client.post(
        f"/en/staff/examinees/{world.examinee.pk}/admit/", HTTP_HX_REQUEST="true"
    )
    assert "not yet acknowledged the rules" in response.content.decode()
    world.examinee.refresh_from_db()
    assert world.examinee.status == "identified"


def test_members_see_the_console_but_cannot_act(world, client_for):
    client = client_for(world.user("member"))
    page = client.get(f"/en/staff/sittings/{world.sitting.pk}/").content.decode()
    assert "Identity confirmed" not in page
    response = client.post(f"/en/staff/examinees/{world.examinee.pk}/identify/")
    assert response.status_code == 404


def test_console_shows_the_drawn_ticket_at_once(world, client_for):
    from attestation.tickets.services import ticket_draw

    admit(world)
    draw, _ = ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    html = (
        client_for(world.user("chair"))
        .get(f"/en/staff/sittings/{world.sitting.pk}/live/")
        .content.decode()
    )
    assert f"ticket № {draw.ticket.number}" in html
    assert draw.ticket.questions.first().text in html


def test_absent_and_back(world, client_for):
    client = client_for(world.user("secretary"))
    client.post(f"/en/staff/examinees/{world.examinee.pk}/absent/")
    world.examinee.refresh_from_db()
    assert world.examinee.status == "absent"
    client.post(f"/en/staff/examinees/{world.examinee.pk}/present/")
    world.examinee.refresh_from_db()
    assert world.examinee.status == "waiting"


def test_secretary_extends_one_examinees_upload_window_with_a_reason(world, client_for):
    from attestation.audit.models import AuditEntry
    from attestation.commissions.deadlines import upload_closes_at
    from attestation.tickets.services import ticket_draw

    admit(world)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    client = client_for(world.user("secretary"))
    page = client.get(f"/en/staff/examinees/{world.examinee.pk}/").content.decode()
    assert "Extend the upload window" in page
    before = upload_closes_at(world.examinee)
    response = client.post(
        f"/en/staff/examinees/{world.examinee.pk}/extend/",
        {"minutes": "300", "reason": "Camera failed"},
        follow=True,
    )
    assert "The upload window is extended." in response.content.decode()
    world.examinee.refresh_from_db()
    assert upload_closes_at(world.examinee) > before
    assert AuditEntry.objects.filter(
        target_id=str(world.examinee.pk), reason="Camera failed"
    ).exists()


def test_extension_needs_sensible_minutes(world, client_for):
    from attestation.tickets.services import ticket_draw

    admit(world)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    client = client_for(world.user("secretary"))
    response = client.post(
        f"/en/staff/examinees/{world.examinee.pk}/extend/",
        {"minutes": "-5", "reason": "x"},
        follow=True,
    )
    assert "from 1 to 1440" in response.content.decode()
    world.examinee.refresh_from_db()
    assert world.examinee.upload_extended_until is None
