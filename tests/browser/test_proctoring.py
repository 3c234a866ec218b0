"""R-1.1, R-2.1, R-2.2 in a real browser with Chromium's fake camera: the self-check says
ready, the camera stays on, a stopped camera flags the student in the console, and the
commission's suspension, resumption and termination reach the student's entry."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_camera_self_check_flag_and_the_commissions_decisions(new_page, world, settings):
    settings.CAMERA_GRACE_SECONDS = 2
    settings.CAMERA_HEARTBEAT_SECONDS = 1

    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto("/en/proctoring/self-check/")
    student.locator("#self-check-verdict[data-verdict=ready]").wait_for(timeout=20_000)
    assert "Ready" in student.locator("#self-check-verdict").inner_text()
    assert student.evaluate("document.querySelector('#self-check-video').srcObject !== null")
    screenshot(student, "student-self-check")

    student.goto(f"/en/exam/{world.examinee.pk}/")
    student.get_by_label("I have read the rules and will follow them.").check()
    student.get_by_role("button", name="Confirm the rules").click()
    student.locator("#camera-box[data-state=live]").wait_for()

    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "en")
    secretary.goto(f"/en/staff/sittings/{world.sitting.pk}/")
    row = f"#examinee-{world.examinee.pk}"
    secretary.locator(row).get_by_role("button", name="Identity confirmed").click()
    secretary.locator(row).get_by_role("button", name="Admit").click()
    student.locator(".entry--green").wait_for(timeout=6000)
    assert secretary.locator(f"{row} [data-camera-flag='']").count() == 1  # camera live

    # The student's camera stops: within the grace time and one poll the console flags it.
    student.evaluate("window.attestationCamera.stream.getTracks().forEach(t => t.stop())")
    student.locator("#camera-box[data-state=stopped]").wait_for(timeout=5000)
    secretary.locator(f"{row} [data-camera-flag=camera_off]").wait_for(timeout=10_000)
    assert "camera stopped" in secretary.locator(row).inner_text()

    # The secretary records the violation on the examinee's page…
    secretary.locator(row).get_by_role("link", name="Incident").click()
    secretary.select_option("#incident-category", "camera_off")
    secretary.fill("#incident-note", "Camera went dark during writing")
    secretary.get_by_role("button", name="Record the violation").click()
    assert "Camera went dark during writing" in secretary.locator("#incidents").inner_text()

    # …and suspends from the live console; the student's entry turns red and says why.
    secretary.goto(f"/en/staff/sittings/{world.sitting.pk}/")
    # The reason is typed in the row (no browser prompt); without one nothing is sent.
    secretary.locator(row).get_by_role("button", name="Suspend").click()
    assert secretary.locator(f"{row}[data-status=admitted]").count() == 1
    secretary.locator(row).get_by_placeholder("Reason").fill("Camera off for a minute")
    secretary.locator(row).get_by_role("button", name="Suspend").click()
    secretary.locator(f"{row}[data-status=suspended]").wait_for()
    screenshot(secretary, "console-incident")
    student.locator(".entry--red").wait_for(timeout=6000)
    assert "suspended" in student.locator("#entry").inner_text()
    student.locator("[data-camera-why]:not([hidden])").wait_for(timeout=5000)
    assert "Camera off for a minute" in student.locator("[data-camera-why]").inner_text()

    secretary.locator(row).get_by_placeholder("Reason").fill("Camera is back")
    secretary.locator(row).get_by_role("button", name="Resume").click()
    secretary.locator(f"{row}[data-status=admitted]").wait_for()
    student.locator(".entry--green").wait_for(timeout=6000)

    secretary.locator(row).get_by_placeholder("Reason").fill("A phone on the desk")
    secretary.locator(row).get_by_role("button", name="Terminate").click()
    secretary.locator(f"{row}[data-status=terminated]").wait_for()
    student.locator("#entry[data-status=terminated]").wait_for(timeout=6000)
    assert "stopped by the commission" in student.locator("#entry").inner_text()

    # The termination, with the commission's reason, reaches the sitting's protocol.
    import io

    from pypdf import PdfReader

    pdf = secretary.request.get(f"/api/v1/sittings/{world.sitting.pk}/protocol.pdf?lang=ru")
    assert pdf.status == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "A phone on the desk" in " ".join(text.split())
