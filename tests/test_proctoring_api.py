"""Violations in the API and the console (CONTRACT.md, R-2.2): who may record, who may
decide, 409 on a wrong state, 404 out of scope; evidence behind an access check; the console
reads the same number of queries however long the list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from attestation.proctoring.models import Incident
from tests.factories import ExamineeFactory
from tests.personas import admit

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, api_for):
    def make(persona, path, body=None):
        return client.post(path, body or {}, content_type="application/json", **api_for(persona))

    return make


def incident_url(examinee):
    return f"/api/v1/examinees/{examinee.pk}/incidents"


@pytest.mark.parametrize("persona", ["secretary", "member", "chair"])
def test_the_commission_records_an_incident(call, world, persona):
    response = call(
        persona, incident_url(world.examinee), {"category": "left_view", "note": "Ушёл"}
    )
    assert response.status_code == 201, response.content
    incident = Incident.objects.get(pk=response.json()["id"])
    assert (incident.category, incident.note) == ("left_view", "Ушёл")
    assert incident.recorded_by == world.user(persona)


@pytest.mark.parametrize("persona", ["student", "other_student", "registrar", "outsider"])
def test_others_cannot_record_an_incident(call, world, persona):
    body = {"category": "left_view"}
    assert call(persona, incident_url(world.examinee), body).status_code == 404
    assert not Incident.objects.exists()


def test_an_unknown_category_is_422(call, world):
    response = call("member", incident_url(world.examinee), {"category": "sneezed"})
    assert response.status_code == 422


def decide(call, persona, incident_id, decision, reason="Seen on camera"):
    return call(
        persona,
        f"/api/v1/incidents/{incident_id}/decision",
        {"decision": decision, "reason": reason},
    )


def test_suspend_resume_terminate_through_the_api(call, client, world, api_for):
    admit(world)
    incident_id = call("member", incident_url(world.examinee), {"category": "other_person"}).json()[
        "id"
    ]
    response = decide(call, "chair", incident_id, "suspend")
    assert response.status_code == 200
    assert response.json()["examinee_status"] == "suspended"
    entry = client.get(f"/api/v1/examinees/{world.examinee.pk}/entry", **api_for("student"))
    assert entry.json()["admitted"] is False
    assert entry.json()["status"] == "suspended"

    assert decide(call, "secretary", incident_id, "resume").json()["admitted"] is True
    assert decide(call, "secretary", incident_id, "resume").status_code == 409
    assert decide(call, "chair", incident_id, "terminate").json()["examinee_status"] == "terminated"
    response = decide(call, "chair", incident_id, "warning")
    assert response.status_code == 409
    assert response.json()["code"] == "wrong_state"


@pytest.mark.parametrize("persona", ["member", "student", "registrar", "outsider"])
def test_only_chair_and_secretary_decide(call, world, persona):
    admit(world)
    incident_id = call("member", incident_url(world.examinee), {"category": "other"}).json()["id"]
    assert decide(call, persona, incident_id, "suspend").status_code == 404


def test_the_foreign_commission_is_404(call, world):
    response = call("secretary", incident_url(world.foreign_examinee), {"category": "other"})
    assert response.status_code == 404


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_console_form_records_with_evidence_served_only_to_the_commission(client_for, world):
    client = client_for(world.user("member"))
    upload = SimpleUploadedFile("../../etc/cheat.png", png_bytes(), content_type="image/png")
    response = client.post(
        f"/en/proctoring/examinees/{world.examinee.pk}/incidents/",
        {"category": "prohibited_item", "note": "Phone on the desk", "evidence": upload},
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.evidence.name.startswith("incidents/")
    assert "cheat" not in incident.evidence.name and incident.evidence.name.endswith(".png")

    page = client.get(f"/en/staff/examinees/{world.examinee.pk}/")
    assert "Phone on the desk" in page.content.decode()
    url = f"/en/proctoring/incidents/{incident.pk}/evidence/"
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    for persona in ("student", "outsider", "registrar"):
        assert client_for(world.user(persona)).get(url).status_code == 404


def test_evidence_that_is_not_an_image_or_pdf_is_refused(client_for, world):
    client = client_for(world.user("secretary"))
    upload = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        f"/en/proctoring/examinees/{world.examinee.pk}/incidents/",
        {"category": "other", "evidence": upload},
        follow=True,
    )
    assert "Attach a photo" in response.content.decode()
    assert not Incident.objects.exists()


def test_console_buttons_suspend_and_resume(client_for, world):
    admit(world)
    client = client_for(world.user("secretary"))
    client.post(
        f"/en/proctoring/examinees/{world.examinee.pk}/incidents/", {"category": "left_view"}
    )
    incident = Incident.objects.get()
    live = client.post(
        f"/en/proctoring/incidents/{incident.pk}/decision/",
        {"decision": "suspend", "from": "live"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_PROMPT="Left the room",
    )
    assert live.status_code == 200
    html = live.content.decode()
    assert 'data-status="suspended"' in html
    assert "Resume" in html
    world.examinee.refresh_from_db()
    assert world.examinee.status == "suspended"
    # A member sees the incident but cannot decide.
    member = client_for(world.user("member"))
    page = member.get(f"/en/staff/examinees/{world.examinee.pk}/").content.decode()
    assert "Left the room" in page and 'name="decision"' not in page
    url = f"/en/proctoring/incidents/{incident.pk}/decision/"
    assert member.post(url, {"decision": "resume", "reason": "x"}).status_code == 404


def test_the_live_console_query_count_does_not_grow_with_the_list(client_for, world):
    client = client_for(world.user("secretary"))
    url = f"/en/staff/sittings/{world.sitting.pk}/live/"

    def count():
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for examinee in (world.examinee, world.other_examinee):
        client.post(f"/en/proctoring/examinees/{examinee.pk}/incidents/", {"category": "other"})
    before = count()
    for _ in range(4):
        extra = ExamineeFactory(sitting=world.sitting)
        client.post(f"/en/proctoring/examinees/{extra.pk}/incidents/", {"category": "other"})
    assert count() == before
