"""Violations and the commission's decisions (R-2.2): suspend turns the entry red, resume
restores what was interrupted, terminate ends the attestation; every step audited."""

import pytest
from django.utils import timezone, translation

from attestation.audit.models import AuditEntry
from attestation.cabinet.entry import entry_state
from attestation.core.errors import DomainError
from attestation.proctoring.camera import camera_flag
from attestation.proctoring.models import CameraStatus, Incident
from attestation.proctoring.services import camera_report, incident_decide, incident_record
from attestation.tickets.services import ticket_draw
from tests.personas import admit

pytestmark = pytest.mark.django_db


def record(world, **kwargs):
    return incident_record(
        examinee=world.examinee,
        actor=world.user("member"),
        category=kwargs.pop("category", Incident.Category.OTHER_PERSON),
        note=kwargs.pop("note", "A voice off camera"),
        **kwargs,
    )


def test_an_incident_records_who_what_and_when_and_changes_nothing(world):
    admit(world)
    incident = record(world)
    world.examinee.refresh_from_db()
    assert world.examinee.status == "admitted"
    assert incident.recorded_by == world.user("member")
    assert incident.at <= timezone.now()
    row = AuditEntry.objects.get(action="incident.record")
    assert (row.actor, row.to_state, row.reason) == (
        world.user("member"),
        "other_person",
        "A voice off camera",
    )


def test_suspend_turns_the_entry_red_and_resume_restores_the_drawn_status(world):
    admit(world)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    incident = record(world)
    decision = incident_decide(
        incident=incident, actor=world.user("chair"), decision="suspend", reason="Second voice"
    )
    assert decision.status_before == "drawn"
    world.examinee.refresh_from_db()
    with translation.override("en"):
        state = entry_state(world.examinee)
    assert (state["status"], state["admitted"]) == ("suspended", False)
    assert "suspended by the commission" in state["message"]

    incident_decide(
        incident=incident, actor=world.user("secretary"), decision="resume", reason="Alone now"
    )
    world.examinee.refresh_from_db()
    assert world.examinee.status == "drawn"
    assert entry_state(world.examinee)["admitted"] is True
    audit = list(
        AuditEntry.objects.filter(action__startswith="incident.")
        .order_by("pk")
        .values_list("action", "from_state", "to_state", "reason")
    )
    assert audit[1:] == [
        ("incident.suspend", "drawn", "suspended", "Second voice"),
        ("incident.resume", "suspended", "drawn", "Alone now"),
    ]


def test_resume_when_not_suspended_is_refused(world):
    admit(world)
    incident = record(world)
    with pytest.raises(DomainError) as error:
        incident_decide(incident=incident, actor=world.user("chair"), decision="resume", reason="x")
    assert error.value.code == "wrong_state"


def test_nothing_follows_a_termination(world):
    admit(world)
    incident = record(world)
    incident_decide(
        incident=incident, actor=world.user("chair"), decision="terminate", reason="Crib"
    )
    world.examinee.refresh_from_db()
    assert world.examinee.status == "terminated"
    assert entry_state(world.examinee)["admitted"] is False
    for decision in ("warning", "suspend", "resume", "terminate"):
        with pytest.raises(DomainError):
            incident_decide(
                incident=incident, actor=world.user("chair"), decision=decision, reason="again"
            )


def test_a_warning_keeps_the_status_and_is_audited(world):
    admit(world)
    incident = record(world)
    incident_decide(
        incident=incident, actor=world.user("chair"), decision="warning", reason="Look up"
    )
    world.examinee.refresh_from_db()
    assert world.examinee.status == "admitted"
    assert AuditEntry.objects.filter(action="incident.warning", reason="Look up").exists()


def test_a_decision_needs_a_reason_and_a_known_kind(world):
    incident = record(world)
    with pytest.raises(DomainError):
        incident_decide(incident=incident, actor=world.user("chair"), decision="suspend", reason="")
    with pytest.raises(DomainError):
        incident_decide(incident=incident, actor=world.user("chair"), decision="expel", reason="x")
    with pytest.raises(DomainError):
        record(world, category="bad")


def test_camera_flag_follows_the_heartbeats(world, settings, time_machine):
    settings.CAMERA_GRACE_SECONDS = 45
    time_machine.move_to(timezone.now(), tick=False)
    examinee = admit(world)
    assert camera_flag(examinee, None) == "no_signal"  # admitted, page never opened
    camera_report(examinee=examinee, camera_live=True, page_visible=True)
    examinee.refresh_from_db()
    assert camera_flag(examinee, CameraStatus.objects.get(examinee=examinee)) is None

    time_machine.shift(30)
    camera_report(examinee=examinee, camera_live=False, page_visible=True, problem="ended")
    time_machine.shift(20)  # 50 s since the camera was last live
    examinee.refresh_from_db()
    assert camera_flag(examinee, CameraStatus.objects.get(examinee=examinee)) == "camera_off"

    camera_report(examinee=examinee, camera_live=True, page_visible=False)
    assert camera_flag(examinee, CameraStatus.objects.get(examinee=examinee)) == "page_hidden"

    time_machine.shift(60)  # no report at all: the page is closed
    assert camera_flag(examinee, CameraStatus.objects.get(examinee=examinee)) == "page_closed"
