"""The student's exam pages say what happened and what to do at every change of state
(cabinet/live_state.py, the banner the exam room and the ticket page poll)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attestation.answers.services import upload_window_extend
from attestation.commissions import services
from attestation.commissions.models import Examinee
from attestation.proctoring.models import Incident
from attestation.proctoring.services import incident_decide, incident_record
from attestation.tickets.services import ticket_draw
from tests.personas import admit

pytestmark = pytest.mark.django_db
S = Examinee.Status


@pytest.fixture
def student(world, client_for):
    return client_for(world.user("student"))


@pytest.fixture
def drawn(world):
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    return Examinee.objects.get(pk=examinee.pk)


def _decide(world, examinee, decision):
    incident = incident_record(
        examinee=examinee, actor=world.user("secretary"), category=Incident.Category.values[0]
    )
    incident_decide(incident=incident, actor=world.user("chair"), decision=decision, reason="x")
    return Examinee.objects.get(pk=examinee.pk)


def _state(student, examinee, seen=""):
    response = student.get(f"/en/exam/{examinee.pk}/state/", {"seen": seen})
    assert response.status_code == 200
    return response.content.decode()


def _key(student, examinee):
    html = _state(student, examinee)
    return html.split('data-key="', 1)[1].split('"', 1)[0]


def test_suspended_student_is_told_and_the_upload_pauses(world, student, drawn):
    drawn_key = _key(student, drawn)
    examinee = _decide(world, drawn, "suspend")
    html = _state(student, examinee, seen=drawn_key)
    assert "The commission has suspended your attestation" in html
    assert 'data-changed="1"' in html and "hx-get" in html

    ticket = student.get(f"/en/exam/{examinee.pk}/ticket/").content.decode()
    assert "The commission has suspended your attestation" in ticket
    assert "Uploading is paused" in ticket
    assert "data-answers-input" not in ticket  # no picker while suspended
    assert "data-answers-countdown" not in ticket  # no time counted on the panel


def test_resumed_student_is_told_to_go_on(world, student, drawn):
    suspended = _decide(world, drawn, "suspend")
    seen = _key(student, suspended)
    examinee = _decide(world, suspended, "resume")
    html = _state(student, examinee, seen=seen)
    assert "The commission has resumed your attestation" in html
    assert 'data-changed="1"' in html
    ticket = student.get(f"/en/exam/{examinee.pk}/ticket/").content.decode()
    assert "data-answers-input" in ticket and "data-answers-countdown" in ticket


def test_stopped_student_is_told_the_poll_stops_and_the_camera_goes(world, student, drawn):
    examinee = _decide(world, drawn, "terminate")
    html = _state(student, examinee)
    assert "The commission has stopped your attestation" in html
    assert "hx-get" not in html and 'data-camera-off="1"' in html
    ticket = student.get(f"/en/exam/{examinee.pk}/ticket/").content.decode()
    assert 'id="camera-box"' not in ticket
    assert "no answer is accepted" in ticket


def test_absent_student_is_told_and_not_asked_for_the_rules(world, student):
    services.examinee_mark_absent(examinee=world.examinee, actor=world.user("secretary"))
    room = student.get(f"/en/exam/{world.examinee.pk}/").content.decode()
    assert "You are marked absent in this sitting" in room
    assert "Confirm the rules" not in room
    assert 'id="camera-box"' not in room
    assert "/applications/" in room


def test_extended_window_is_announced(world, student, drawn):
    seen = _key(student, drawn)
    later = timezone.now() + timedelta(hours=5)
    examinee = upload_window_extend(
        examinee=drawn, until=later, actor=world.user("secretary"), reason="network"
    )
    html = _state(student, examinee, seen=seen)
    assert "The upload window is extended" in html
    assert timezone.localtime(later).strftime("%H:%M") in html


def test_after_the_end_the_room_stops_saying_follow_the_link(world, student, drawn):
    Examinee.objects.filter(pk=drawn.pk).update(status=S.SUBMITTED)
    room = student.get(f"/en/exam/{drawn.pk}/").content.decode()
    assert "Follow the link" not in room
    assert "Your attestation in this sitting is finished" in room
    assert 'id="camera-box"' not in room

    world.sitting.announced_at = timezone.now()
    world.sitting.save()
    html = _state(student, drawn)
    assert "The results are announced" in html and "hx-get" not in html


def test_state_of_someone_elses_place_is_404(world, student):
    assert student.get(f"/en/exam/{world.other_examinee.pk}/state/").status_code == 404


@pytest.mark.parametrize("seen", ["drawn|||x|many", "||||-5", "a|b|c|d|9" * 50])
def test_a_garbled_seen_key_is_read_as_unseen_not_an_error(student, drawn, seen):
    """`seen` comes back from the page's query string: a hand-edited one is not a 500."""
    html = _state(student, drawn, seen=seen)
    assert 'data-key="' in html
