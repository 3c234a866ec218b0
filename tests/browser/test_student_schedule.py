import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_student_opens_training_sac_in_kazakh_then_russian(new_page, world):
    page = new_page(mobile=True)
    sign_in(page, "student_p", PASSWORD)
    page.click(".menu__toggle")  # the phone menu
    page.get_by_role("link", name="МАК").click()
    page.wait_for_url("**/kk/training/sac/")
    assert page.locator("h1").inner_text() == "Қорытынды аттестаттау кестесі"
    assert page.get_by_text(world.sitting.title).is_visible()
    # Nothing sticks out sideways on a phone, long Kazakh labels included.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "student-sac-phone-kk")

    page.get_by_role("button", name="RU").click()
    page.wait_for_url("**/ru/training/sac/")
    assert page.locator(".breadcrumb").inner_text().startswith("Обучение")
    assert page.get_by_text(world.sitting.title).is_visible()
