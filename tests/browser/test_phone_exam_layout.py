"""The ticket page on a 390 px phone: the header is one row, the camera box can hide its
preview and keeps its height free at the bottom (the last page's buttons and the footer come
out from under it), the countdown stays in view while scrolling, the phone number is one line."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.answers.services import answer_page_add
from attestation.commissions.models import Examinee
from attestation.tickets.services import ticket_draw
from tests import images as make
from tests.browser.conftest import sign_in
from tests.browser.page_checks import assert_page_sound, watch
from tests.factories import PASSWORD
from tests.personas import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _in_view(page, selector) -> bool:
    return page.evaluate(
        """(selector) => {
          const r = document.querySelector(selector).getBoundingClientRect();
          return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_ticket_page_on_a_phone(new_page, world):
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    for seed in (1, 2, 3, 4):
        answer_page_add(
            examinee=Examinee.objects.get(pk=examinee.pk),
            file=SimpleUploadedFile(
                f"IMG_{seed}.JPG", make.jpeg(make.sharp_page(900, 1200, seed=seed)), "image/jpeg"
            ),
            actor=examinee.student.user,
        )
    page = new_page(mobile=True, bypass_csp=True)
    watch(page)
    sign_in(page, "student_p", PASSWORD)
    page.goto(f"/kk/exam/{examinee.pk}/ticket/")
    page.wait_for_selector("[data-answers-page][data-number='4']")

    # One row of header: about one button high, not a quarter of the screen.
    assert page.locator(".topbar").bounding_box()["height"] <= 56

    # Scrolled to the very bottom: the last page's delete button and the footer's phone
    # number are above the camera box, and the countdown is still in view.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    box = page.locator("#camera-box").bounding_box()
    last_delete = page.locator("[data-answers-page][data-number='4'] button[data-act=delete]")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert last_delete.bounding_box()["y"] + last_delete.bounding_box()["height"] <= box["y"]
    phone = page.locator(".footer a[href^='tel:']")
    assert phone.bounding_box()["y"] + phone.bounding_box()["height"] <= box["y"]
    assert (
        page.evaluate("document.querySelector(\".footer a[href^='tel:']\").getClientRects().length")
        == 1
    )  # the number on one line
    assert _in_view(page, "[data-answers-countdown]")
    last_delete.click(trial=True)  # nothing lies over it

    # The preview can be hidden (the camera stays on) and the box shrinks.
    toggle = page.locator("[data-camera-toggle]")
    before = box["height"]
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("#camera-box video").is_hidden()
    assert page.locator("#camera-box").bounding_box()["height"] < before
    assert page.evaluate("window.attestationCamera.stream !== null")
    assert_page_sound(page, lang="kk")


def test_the_a4_drawing_stays_in_its_card_on_a_phone(new_page, world):
    page = new_page(mobile=True)
    sign_in(page, "student_p", PASSWORD)
    page.goto("/kk/proctoring/prepare/")
    drawing = page.locator(".sheet-drawing").bounding_box()
    card = page.locator("#sheets").bounding_box()
    assert drawing["y"] + drawing["height"] <= card["y"] + card["height"]
    assert (
        drawing["x"] >= card["x"] and drawing["x"] + drawing["width"] <= card["x"] + card["width"]
    )
