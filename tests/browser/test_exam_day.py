"""The exam room end to end (R-3.1 … R-14.1), as the issue's "done means" lists it: the
secretary checks identity and admits; the student's button turns green without a reload; the
student picks a face-down card, sees the ticket, photographs three sheets with the phone (one
turned by EXIF, one HEIC, one blurred and warned about), reorders, submits; the console shows
the pages and the PDF."""

from pathlib import Path

import pytest

from attestation.answers.models import AnswerDocument, AnswerPage
from attestation.tickets.models import Draw
from tests import images as make
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def test_a_written_exam_from_admission_to_the_pdf_in_the_console(new_page, world):
    examinee = world.examinee
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto(f"/en/exam/{examinee.pk}/")
    student.get_by_label("I have read the rules and will follow them.").check()
    student.get_by_role("button", name="Confirm the rules").click()
    assert student.locator(".entry--red").is_visible()
    student.evaluate("window.__notReloaded = true")

    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "en")
    secretary.goto(f"/en/staff/sittings/{world.sitting.pk}/")
    row = secretary.locator(f"#examinee-{examinee.pk}")
    row.get_by_role("button", name="Identity confirmed").click()
    secretary.locator(f"#examinee-{examinee.pk}[data-status=identified]").wait_for()
    secretary.locator(f"#examinee-{examinee.pk}").get_by_role("button", name="Admit").click()
    secretary.locator(f"#examinee-{examinee.pk}[data-status=admitted]").wait_for()

    student.locator(".entry--green").wait_for(timeout=6000)
    assert student.evaluate("window.__notReloaded") is True
    student.locator(".entry--green").click()
    student.locator(".ticket-card").nth(2).click()
    student.wait_for_url(f"**/exam/{examinee.pk}/ticket/")
    draw = Draw.objects.get(examinee=examinee)
    assert student.locator("h1").inner_text() == f"Ticket № {draw.ticket.number}"
    for question in draw.ticket.questions.all():
        assert student.get_by_text(question.text).is_visible()
    # The console shows the ticket the student reads out.
    secretary.get_by_text(f"ticket № {draw.ticket.number}").wait_for(timeout=6000)

    # The phone, through the QR code's link: three photos.
    student.click("[data-testid=answers-phone]")
    student.wait_for_selector("[data-answers-qr-code] svg")
    phone = new_page(mobile=True)
    phone.goto(student.get_attribute("[data-answers-qr-link]", "href"))
    phone.locator("[data-testid=answers-files]").set_input_files(
        files=[
            {
                "name": "IMG_1.JPG",
                "mimeType": "image/jpeg",
                "buffer": make.sideways_jpeg(make.sharp_page(1200, 1600, seed=11)),
            },
            {
                "name": "IMG_2.HEIC",
                "mimeType": "image/heic",
                "buffer": make.heic(make.sharp_page(1200, 1600, seed=12)),
            },
            {
                "name": "IMG_3.JPG",
                "mimeType": "image/jpeg",
                "buffer": make.jpeg(make.blurred_page(1200, 1600, seed=13)),
            },
        ]
    )
    phone.wait_for_function(
        "document.querySelectorAll('[data-answers-pages] [data-answers-page]').length === 3"
    )
    assert phone.locator("[data-answers-page] [data-warning=blurred]").count() == 1
    sizes = sorted((p.width, p.height) for p in AnswerPage.objects.filter(examinee=examinee))
    assert sizes == [(1200, 1600)] * 3  # the sideways one stands upright, the HEIC is a JPEG

    # Back on the computer: move page 3 up, then submit.
    student.wait_for_selector("[data-answers-page][data-number='3']", timeout=15_000)
    student.click("[data-answers-page][data-number='3'] button[data-act=up]")
    student.wait_for_function(
        "document.querySelectorAll('[data-answers-pages] [data-answers-page]')[1]"
        ".querySelector('[data-warning=blurred]') !== null"
    )
    student.on("dialog", lambda dialog: dialog.accept())
    student.click("[data-testid=answers-submit]")
    student.wait_for_selector("[data-answers-receipt]")
    document = AnswerDocument.objects.get(examinee=examinee)
    assert document.pages == 3

    # The commission: the pages in order and the PDF.
    secretary.goto(f"/en/staff/examinees/{examinee.pk}/")
    assert secretary.locator("img[alt^='Page']").count() == 3
    pdf = secretary.get_by_role("link", name="PDF, 3 pages")
    assert pdf.is_visible()
    response = secretary.request.get(pdf.get_attribute("href"))
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
    screenshot(secretary, "console-examinee-pages")
