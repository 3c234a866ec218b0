"""Before the attestation (R-1.1, R-1.2, R-7.1, R-2.1): the guide and the self-check in the
three languages; the probe the network check downloads; the camera heartbeat (R-2.1)."""

import json

import pytest

from attestation.proctoring.models import CameraStatus

pytestmark = pytest.mark.django_db

GUIDE_WORDS = {
    "en": ["What you need", "Where to put the camera", "Answer sheets", "Rules during"],
}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_guide_opens_in_every_language(client_for, world, language):
    response = client_for(world.user("student")).get(f"/{language}/proctoring/prepare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for anchor in ('id="requirements"', 'id="camera"', 'id="sheets"', 'id="rules"'):
        assert anchor in html
    assert "<svg" in html and "setup-drawing" in html  # the drawn camera set-up
    assert f"/{language}/exam/{world.examinee.pk}/" in html  # back to the exam room


def test_the_english_guide_says_what_to_prepare(client_for, world):
    html = client_for(world.user("student")).get("/en/proctoring/prepare/").content.decode()
    for words in GUIDE_WORDS["en"] + ["web camera", "smartphone", "A4", "group", "sign", "Number"]:
        assert words in html
    assert "screen and your desk" in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_self_check_page_opens(client_for, world, language):
    response = client_for(world.user("student")).get(f"/{language}/proctoring/self-check/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="self-check-video"' in html and 'id="self-check-level"' in html
    assert "js/selfcheck.js" in html
    assert f"/{language}/proctoring/self-check/probe/" in html


def test_the_probe_sends_the_size_asked_within_limits(client_for, world):
    client = client_for(world.user("student"))
    response = client.get("/en/proctoring/self-check/probe/?kb=4")
    assert len(response.content) == 4 * 1024
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    assert len(client.get("/en/proctoring/self-check/probe/?kb=99999").content) == 512 * 1024
    assert len(client.get("/en/proctoring/self-check/probe/?kb=x").content) == 64 * 1024


def test_the_guides_need_a_sign_in(client):
    assert client.get("/en/proctoring/prepare/").status_code == 302
    assert client.get("/en/proctoring/self-check/probe/").status_code == 302


def test_the_exam_room_links_the_guides_and_carries_the_camera(client_for, world):
    html = client_for(world.user("student")).get(f"/en/exam/{world.examinee.pk}/").content
    html = html.decode()
    assert "/en/proctoring/prepare/" in html and "/en/proctoring/self-check/" in html
    assert 'id="camera-box"' in html and "js/camera.js" in html


def test_the_heartbeat_records_the_camera_for_the_student_only(client_for, world):
    url = f"/en/proctoring/exam/{world.examinee.pk}/heartbeat/"
    body = json.dumps({"camera": True, "visible": True})
    response = client_for(world.user("student")).post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "waiting"
    world.examinee.refresh_from_db()
    assert world.examinee.camera_seen_at is not None
    for persona in ("other_student", "secretary"):
        client = client_for(world.user(persona))
        assert client.post(url, body, content_type="application/json").status_code == 404
    stopped = json.dumps({"camera": False, "visible": True, "problem": "ended"})
    client_for(world.user("student")).post(url, stopped, content_type="application/json")
    status = CameraStatus.objects.get(examinee=world.examinee)
    assert (status.camera_live, status.problem) == (False, "ended")


def test_the_guides_link_back_to_the_room_they_were_opened_from(client_for, world):
    """A student with a written exam today and a defence later: the guides opened from the
    exam's room lead back to the exam, not to the defence (the latest sitting)."""
    from datetime import timedelta

    from tests.factories import ExamineeFactory, SittingFactory

    defence = SittingFactory(
        commission=world.commission,
        form="defense",
        title="Дипломдық жұмыс қорғау",
        starts_at=world.sitting.starts_at + timedelta(days=10),
    )
    later = ExamineeFactory(sitting=defence, student=world.examinee.student, position=1)
    student = client_for(world.user("student"))
    room = student.get(f"/en/exam/{world.examinee.pk}/").content.decode()
    assert f"/en/proctoring/prepare/?examinee={world.examinee.pk}" in room
    for path in ("/en/proctoring/prepare/", "/en/proctoring/self-check/"):
        html = student.get(path, {"examinee": world.examinee.pk}).content.decode()
        assert f'href="/en/exam/{world.examinee.pk}/"' in html
        assert f'href="/en/exam/{later.pk}/"' not in html
        # Without the link's hint: the nearest sitting still to come, not the latest.
        assert f'href="/en/exam/{world.examinee.pk}/"' in student.get(path).content.decode()
        # Someone else's place is no hint at all.
        other = student.get(path, {"examinee": world.other_examinee.pk}).content.decode()
        assert f"/exam/{world.other_examinee.pk}/" not in other
