"""The chair sees the graduates before the degree decision (K-10): GPA, final grades, the
outcome, the diploma with honours and, when not, why — on a phone in Kazakh and on a
desktop in Russian; the registrar downloads the lists for the orders."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.browser.page_checks import assert_page_sound, watch
from tests.factories import PASSWORD
from tests.graduates_world import year_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ALLOW = ("GPA", "XLSX", "A", "A-", "B+", "C-", "C+")


@pytest.mark.parametrize(("mobile", "lang"), [(True, "kk"), (False, "ru")])
def test_the_chair_reads_the_graduates_from_the_protocols_page(new_page, world, mobile, lang):
    year_of(world)
    page = new_page(mobile=mobile, bypass_csp=True)
    watch(page)
    sign_in(page, "chair_p", PASSWORD, lang)
    page.goto(f"/{lang}/records/sittings/{world.sitting.pk}/")
    with page.expect_navigation():
        page.locator(f"a[href='/{lang}/graduates/commissions/{world.commission.pk}/']").click()
    rows = page.locator("[data-graduates] tbody tr")
    assert rows.count() == 3
    honours = page.locator("tr[data-honours=yes]")
    assert honours.count() == 1 and "Абаев Әлихан" in honours.inner_text()
    reasons = page.locator("tr[data-honours=no]", has_text="Үмбетова Ұлжан").inner_text()
    assert "GPA 3,20 < 3,5." in reasons
    assert_page_sound(page, lang=lang, allow=ALLOW)
    if mobile:
        screenshot(page, "chair-graduates-phone-kk")


def test_the_registrar_downloads_the_lists(new_page, world):
    year_of(world)
    page = new_page(bypass_csp=True)
    watch(page)
    sign_in(page, "registrar_p", PASSWORD, "en")
    page.get_by_role("link", name="Graduates").first.click()
    page.wait_for_url("**/en/graduates/")
    assert_page_sound(page, lang="en")
    with page.expect_download() as download:
        page.get_by_role("link", name="Awarded the degree (XLSX)").first.click()
    assert download.value.suggested_filename == f"awarded-{world.commission.code}.xlsx"
