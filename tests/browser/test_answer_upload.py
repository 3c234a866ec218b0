"""A student photographs the answer sheets with the phone through the QR code, checks the
pages on the computer, reorders them, submits and keeps the receipt (R-14.1)."""

import hashlib
from pathlib import Path

import pytest

from attestation.answers.models import AnswerDocument, AnswerPage
from tests import images as make
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def shas_shown(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-answers-pages] [data-answers-page]", "nodes => nodes.map(n => n.dataset.sha256)"
    )


def test_student_uploads_from_the_phone_reorders_submits_and_sees_the_receipt(
    new_page, world, media
):
    examinee = world.examinee
    make.give_draw(examinee)

    desk = new_page()
    sign_in(desk, "student_p", PASSWORD)
    desk.goto(f"/kk/answers/{examinee.pk}/")
    desk.wait_for_function(
        "document.querySelector('[data-answers-timer]').textContent.includes(':')"
    )
    desk.click("[data-testid=answers-phone]")
    desk.wait_for_selector("[data-answers-qr-code] svg")
    phone_url = desk.get_attribute("[data-answers-qr-link]", "href")
    assert "/answers/phone/" in phone_url

    # The phone: no sign-in, the camera input, then two more photos chosen at once.
    phone = new_page(mobile=True)
    phone.goto(phone_url)
    camera = phone.locator("[data-testid=answers-camera]")
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/*"
    rotated = make.sideways_jpeg(make.sharp_page(1200, 1600, seed=1))  # 1600 × 1200, EXIF 6
    camera.set_input_files(
        files=[{"name": "IMG_0001.JPG", "mimeType": "image/jpeg", "buffer": rotated}]
    )
    phone.wait_for_selector("[data-answers-page][data-number='1']")
    phone.locator("[data-testid=answers-files]").set_input_files(
        files=[
            {
                "name": "IMG_0002.HEIC",
                "mimeType": "image/heic",
                "buffer": make.heic(make.sharp_page(1200, 1600, seed=2)),
            },
            {
                "name": "IMG_0003.JPG",
                "mimeType": "image/jpeg",
                "buffer": make.jpeg(make.blurred_page(1200, 1600, seed=3)),
            },
        ]
    )
    phone.wait_for_function(
        "document.querySelectorAll('[data-answers-pages] [data-answers-page]').length === 3"
    )
    assert phone.locator("[data-answers-upload].is-failed").count() == 0
    blurred_warning = phone.locator("[data-answers-page][data-number='3'] [data-warning=blurred]")
    assert blurred_warning.is_visible()
    assert len(blurred_warning.inner_text()) > len("blurred")  # a sentence, not a code
    assert phone.locator("[data-answers-page] [data-warning]").count() == 1
    phone.wait_for_function(  # the thumbnails come from the server, HEIC included
        "[...document.querySelectorAll('[data-answers-page] img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    screenshot(phone, "student-answer-upload-phone")

    pages = {p.number: p for p in AnswerPage.objects.filter(examinee=examinee)}
    assert (pages[1].width, pages[1].height) == (1200, 1600)  # turned upright
    assert (pages[2].width, pages[2].height) == (1200, 1600)  # the HEIC, as a JPEG
    assert pages[3].warnings == ["blurred"]
    first, heic, blurred = pages[1].sha256, pages[2].sha256, pages[3].sha256

    # The computer shows the phone's pages without a reload; move the blurred one up.
    desk.wait_for_selector("[data-answers-page][data-number='3']", timeout=15_000)
    assert shas_shown(desk) == [first, heic, blurred]
    desk.click("[data-answers-page][data-number='3'] button[data-act=up]")
    desk.wait_for_function(
        f"""() => {{
            const nodes = document.querySelectorAll('[data-answers-pages] [data-answers-page]');
            return nodes.length === 3 && nodes[1].dataset.sha256 === '{blurred}';
        }}"""
    )
    assert shas_shown(desk) == [first, blurred, heic]
    assert list(
        AnswerPage.objects.filter(examinee=examinee)
        .order_by("number")
        .values_list("sha256", flat=True)
    ) == [first, blurred, heic]

    desk.on("dialog", lambda dialog: dialog.accept())
    desk.click("[data-testid=answers-submit]")
    desk.wait_for_selector("[data-answers-receipt]")
    document = AnswerDocument.objects.get(examinee=examinee)
    assert document.pages == 3
    assert hashlib.sha256(document.pdf.read()).hexdigest() == document.sha256
    receipt = desk.locator("[data-answers-receipt]")
    for number, sha in enumerate([first, blurred, heic], start=1):
        assert receipt.locator(f"[data-receipt-page='{number}']").inner_text().endswith(sha)
    assert receipt.locator("[data-receipt-pdf]").inner_text() == document.sha256
    assert desk.locator("[data-answers-input]").count() == 0
    examinee.refresh_from_db()
    assert examinee.status == "submitted"

    # The phone's link stops working once the answer is submitted.
    phone.reload()
    assert phone.locator("[data-answers-link-invalid]").is_visible()


def test_on_a_phone_sized_screen_the_panel_uploads_deletes_retakes_and_moves_by_keyboard(
    new_page, world, media
):
    examinee = world.examinee
    make.give_draw(examinee)
    page = new_page(mobile=True)
    sign_in(page, "student_p", PASSWORD)
    page.goto(f"/kk/answers/{examinee.pk}/")
    page.locator("[data-testid=answers-files]").set_input_files(
        files=[
            {
                "name": f"sheet-{seed}.jpg",
                "mimeType": "image/jpeg",
                "buffer": make.jpeg(make.sharp_page(900, 1200, seed=seed)),
            }
            for seed in (1, 2, 3)
        ]
    )
    page.wait_for_function(
        "document.querySelectorAll('[data-answers-pages] [data-answers-page]').length === 3"
    )
    first, second, third = shas_shown(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll

    # Keyboard: the focus stays on the moved page, so Enter moves it again.
    page.focus("[data-answers-page][data-number='1'] button[data-act=down]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelector('[data-answers-page][data-number=\"2\"]')"
        f"?.dataset.sha256 === '{first}'"
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelector('[data-answers-page][data-number=\"3\"]')"
        f"?.dataset.sha256 === '{first}'"
    )
    assert shas_shown(page) == [second, third, first]

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("[data-answers-page][data-number='1'] button[data-act=delete]")
    page.wait_for_function(
        "document.querySelectorAll('[data-answers-pages] [data-answers-page]').length === 2"
    )
    assert shas_shown(page) == [third, first]

    # Retake page 2: the blurred photo gets its warning, the number stays.
    with page.expect_file_chooser() as chooser:
        page.click("[data-answers-page][data-number='2'] button[data-act=retake]")
    chooser.value.set_files(
        files=[
            {
                "name": "retake.jpg",
                "mimeType": "image/jpeg",
                "buffer": make.jpeg(make.blurred_page(900, 1200, seed=9)),
            }
        ]
    )
    page.wait_for_selector("[data-answers-page][data-number='2'] [data-warning=blurred]")
    retaken = shas_shown(page)
    assert retaken[0] == third and retaken[1] not in (first, second, third)
    assert (
        list(
            AnswerPage.objects.filter(examinee=examinee)
            .order_by("number")
            .values_list("sha256", flat=True)
        )
        == retaken
    )


def test_a_slow_read_back_neither_undoes_a_move_nor_takes_the_keyboard(new_page, world, media):
    """On a bad connection the list read back after a batch can arrive after the student has
    already moved a page: the older list is dropped and the focus stays where it was."""
    examinee = world.examinee
    make.give_draw(examinee)
    page = new_page(mobile=True)
    sign_in(page, "student_p", PASSWORD)
    page.goto(f"/kk/answers/{examinee.pk}/")
    pages_url = page.get_attribute("[data-pages-url]", "data-pages-url")
    held = []

    def hold_reads(route):
        if route.request.method != "GET":
            return route.continue_()
        held.append((route, route.fetch()))  # answered now, delivered later

    page.route(lambda url: url.endswith(pages_url), hold_reads)
    page.locator("[data-testid=answers-files]").set_input_files(
        files=[
            {
                "name": f"sheet-{seed}.jpg",
                "mimeType": "image/jpeg",
                "buffer": make.jpeg(make.sharp_page(900, 1200, seed=seed)),
            }
            for seed in (1, 2)
        ]
    )
    page.wait_for_function(
        "document.querySelectorAll('[data-answers-pages] [data-answers-page]').length === 2"
    )
    page.wait_for_timeout(100)
    assert len(held) == 1  # the batch's read-back, still on its way
    first, second = shas_shown(page)

    page.focus("[data-answers-page][data-number='1'] button[data-act=down]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"document.querySelector('[data-answers-page][data-number=\"2\"]')"
        f"?.dataset.sha256 === '{first}'"
    )
    route, stale = held.pop()
    route.fulfill(response=stale)  # the list as it was before the move
    page.wait_for_timeout(300)

    assert shas_shown(page) == [second, first]
    assert (
        page.evaluate("document.activeElement.closest('[data-answers-page]')?.dataset.number")
        == "2"
    )
    assert list(
        AnswerPage.objects.filter(examinee=examinee)
        .order_by("number")
        .values_list("sha256", flat=True)
    ) == [second, first]
