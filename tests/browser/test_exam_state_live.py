"""The ticket page follows the commission's decisions live: suspended (told, the upload
paused), resumed (the buttons back), stopped (the camera off) — all without a reload."""

from pathlib import Path

import pytest

from attestation.commissions.models import Examinee
from attestation.proctoring.models import Incident
from attestation.proctoring.services import incident_decide, incident_record
from attestation.tickets.services import ticket_draw
from tests.browser.conftest import screenshot, sign_in
from tests.browser.page_checks import assert_page_sound, watch
from tests.factories import PASSWORD
from tests.personas import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _decide(world, decision):
    examinee = Examinee.objects.get(pk=world.examinee.pk)
    incident = incident_record(
        examinee=examinee, actor=world.user("secretary"), category=Incident.Category.values[0]
    )
    incident_decide(
        incident=incident, actor=world.user("chair"), decision=decision, reason="Телефон"
    )


def test_ticket_page_follows_suspend_resume_and_stop_without_reload(new_page, world):
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    page = new_page(mobile=True, bypass_csp=True)
    watch(page)
    sign_in(page, "student_p", PASSWORD)
    page.goto(f"/kk/exam/{examinee.pk}/ticket/")
    pick = page.locator("[data-testid=answers-files]")
    assert pick.count() == 1
    page.evaluate("window.__notReloaded = true")

    _decide(world, "suspend")
    page.locator("[data-exam-state=warning]").wait_for(timeout=8000)
    page.locator("[data-answers-paused]").wait_for(timeout=8000)
    assert pick.count() == 0
    assert page.locator("[data-answers-countdown]").count() == 0
    assert_page_sound(page, lang="kk")
    screenshot(page, "student-suspended-phone-kk")

    _decide(world, "resume")
    page.locator("[data-exam-state=success]").wait_for(timeout=8000)
    pick.wait_for(state="attached", timeout=8000)
    page.locator("[data-answers-countdown] [data-answers-timer]:not(:empty)").wait_for()
    assert page.evaluate("window.__notReloaded") is True

    _decide(world, "terminate")
    page.locator("[data-exam-state=error]").wait_for(timeout=8000)
    page.locator("#camera-box").wait_for(state="detached", timeout=8000)
    assert page.evaluate("window.attestationCamera.stream") is None
    assert page.evaluate("window.__notReloaded") is True
    assert_page_sound(page, lang="kk")
