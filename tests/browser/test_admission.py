"""R-9.1, R-9.2 in a real browser: the secretary admits, the student's entry turns green
without reloading."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_admits_and_the_students_button_turns_green(new_page, world):
    student = new_page(mobile=True)
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto(f"/en/exam/{world.examinee.pk}/")
    student.get_by_label("I have read the rules and will follow them.").check()
    student.get_by_role("button", name="Confirm the rules").click()
    entry = student.locator("#entry")
    assert entry.get_attribute("data-status") == "waiting"
    assert student.locator(".entry--red").is_visible()
    student.evaluate("window.__notReloaded = true")

    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "en")
    secretary.goto(f"/en/staff/sittings/{world.sitting.pk}/")
    row = secretary.locator(f"#examinee-{world.examinee.pk}")
    row.get_by_placeholder("Note", exact=True).fill("ID card shown")
    row.get_by_role("button", name="Identity confirmed").click()
    row = secretary.locator(f"#examinee-{world.examinee.pk}")
    row.get_by_role("button", name="Admit").click()
    secretary.locator(f"#examinee-{world.examinee.pk}[data-status=admitted]").wait_for()
    screenshot(secretary, "secretary-console")

    # Within 3 s (one poll) and without a reload, the button is green with the link.
    student.locator(".entry--green").wait_for(timeout=6000)
    assert student.evaluate("window.__notReloaded") is True
    screenshot(student, "student-entry-green-phone")
    student.locator(".entry--green").click()
    student.wait_for_url(f"**/exam/{world.examinee.pk}/draw/")
    cards = student.locator(".ticket-card")
    assert cards.count() == 5
    assert student.locator(".cards").inner_text().strip() == ""  # nothing written on the cards
