"""In an English Chromium, a Kazakh page's forms speak Kazakh: our validation messages instead
of "Value must be less than or equal to 100", our file picker instead of "Choose File", and a
24-hour time box instead of "--:-- --"."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import PASSWORD
from tests.test_grading_world import admit, make_oral, second_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_validation_file_picker_and_time_in_kazakh(new_page, world):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    second_member(world)
    page = new_page(locale="en-US")
    sign_in(page, "chair_p", PASSWORD)
    page.goto(f"/kk/grading/sittings/{world.sitting.pk}/")
    row = page.locator(f"#examinee-{world.examinee.pk}")
    score = row.locator("input[name=score]").first
    score.fill("150")
    row.locator("button[type=submit]").first.click()
    assert score.evaluate("el => el.validationMessage") == "Мән ең көбі 100 болуы керек."
    score.fill("")
    row.locator("button[type=submit]").first.click()
    assert score.evaluate("el => el.validationMessage") == "Бұл өрісті толтырыңыз."
    time_box = page.locator("input[name=announce_at_time]")
    assert time_box.get_attribute("type") == "text"
    time_box.fill("2:30 PM")
    page.locator("input[name=announce_at_date]").fill("25.11.2026")
    time_box.evaluate("el => el.form.requestSubmit()")
    assert "24 сағаттық" in time_box.evaluate("el => el.validationMessage")

    registrar = new_page(locale="en-US")
    sign_in(registrar, "registrar_p", PASSWORD)
    registrar.goto("/kk/registrar/")
    picker = registrar.locator("[data-filepick]").first
    wrap = registrar.locator(".filepick").first
    assert "Файлды таңдау" in wrap.inner_text() and "Файл таңдалмаған" in wrap.inner_text()
    assert "Choose" not in registrar.locator("main").inner_text()
    picker.set_input_files(
        {"name": "students.csv", "mimeType": "text/csv", "buffer": b"username\n"}
    )
    assert "students.csv" in wrap.inner_text()
