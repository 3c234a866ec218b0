"""The chair signs a protocol on the protocols page; the signed protocol's hash and the
signature appear (K-5, K-6)."""

import pytest

from tests.applications_world import announced
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_signs_a_protocol_on_the_page(new_page, world, settings):
    settings.UNIVERSITY_NAME = "Әл-Фараби атындағы Қазақ ұлттық университеті"
    sitting = announced(world, score=62, other_score=85)
    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "kk")
    chair.goto(f"/kk/grading/sittings/{sitting.pk}/")
    with chair.expect_navigation():
        chair.get_by_role("link", name="Хаттамалар").click()
    rows = chair.locator("[data-protocol]")
    assert rows.count() == 3
    first = rows.first
    assert "Абаев Әлихан" in first.inner_text()
    first.locator("textarea[name=text]").fill("Жауап толық, дәлелді.")
    with chair.expect_navigation():
        first.get_by_role("button", name="Сақтау").click()
    first = chair.locator("[data-protocol]").first
    with chair.expect_navigation():
        first.get_by_role("button", name="Қол қою").click()
    first = chair.locator("[data-protocol]").first
    assert "Сейітқали Бекнұр" in first.inner_text()
    assert first.locator("code").inner_text() not in ("", "—")
    assert first.get_by_role("button", name="Қол қою").count() == 0
    screenshot(chair, "chair-protocols")
