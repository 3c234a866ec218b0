"""Extra time given during the exam (SPEC K-14) reaches the student's open ticket page without a
reload: the banner says so, and the countdown runs to the new end."""

from pathlib import Path

import pytest

from attestation.commissions.models import Examinee
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


def _hours_left(page) -> float:
    """The writing time left as the countdown shows it («… 2:29:58»), in hours."""
    text = page.locator("[data-answers-countdown] [data-answers-timer]").inner_text()
    h, m, s = (int(part) for part in text.rsplit(" ", 1)[-1].split(":"))
    return h + m / 60 + s / 3600


def test_extra_time_moves_the_open_countdown_without_reload(new_page, world):
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    page = new_page(mobile=True, bypass_csp=True)
    watch(page)
    sign_in(page, "student_p", PASSWORD)
    page.goto(f"/kk/exam/{examinee.pk}/ticket/")
    page.locator("[data-answers-countdown] [data-answers-timer]:not(:empty)").wait_for()
    assert 1.9 < _hours_left(page) <= 2.0  # 2 h to write
    page.evaluate("window.__notReloaded = true")

    # The secretary gives 30 minutes on the examinee's page, in another browser.
    secretary = new_page(bypass_csp=True)
    watch(secretary)
    sign_in(secretary, "secretary_p", PASSWORD)
    secretary.goto(f"/kk/staff/examinees/{examinee.pk}/")
    form = secretary.locator("[data-extra-time-form]")
    form.locator("input[name=minutes]").fill("30")
    form.locator("input[name=reason]").fill("Дәрігер анықтамасы")
    form.locator("button[type=submit]").click()
    secretary.locator("[data-extra-time-current]").filter(has_text="30 минут").wait_for()
    assert_page_sound(secretary, lang="kk")
    screenshot(secretary, "secretary-extra-time")
    assert Examinee.objects.get(pk=examinee.pk).extra_minutes == 30

    page.locator("[data-exam-state=success]").wait_for(timeout=10_000)
    assert "30 минут қосымша уақыт берді" in page.locator("#exam-state").inner_text()
    page.locator("[data-extra-time='30']").wait_for(timeout=10_000)
    page.wait_for_function(
        "() => { const t = document.querySelector('[data-answers-countdown] [data-answers-timer]');"
        " return t && /2:2\\d:\\d\\d/.test(t.textContent); }",
        timeout=10_000,
    )
    assert 2.4 < _hours_left(page) <= 2.5
    assert page.evaluate("window.__notReloaded") is True
    assert_page_sound(page, lang="kk")
    screenshot(page, "student-extra-time-phone-kk")
