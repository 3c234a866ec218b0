"""The chair's report (K-15) as the chair uses it: the empty state before any results, then
the chart, the failures and honours, the remarks written and saved, the PDF downloaded, a
copy signed; the page sound in kk, ru and en on a phone and a desktop
(tests/browser/page_checks.py)."""

from decimal import Decimal

import pytest

from tests.applications_world import absent, announced
from tests.browser.conftest import screenshot, sign_in
from tests.browser.page_checks import page_problems, watch
from tests.browser.test_staff_walk import SIZES, STAFF_ALLOW
from tests.browser.test_student_walk import LANGUAGES
from tests.factories import PASSWORD, ExamineeFactory, StudentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUALITY = "Түлектердің кәсіби дайындығы жақсы."


def _chair(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="kk-KZ",
        timezone_id="Asia/Almaty",
        bypass_csp=True,  # axe-core is injected as a script
        has_touch=True,
        accept_downloads=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch(page)
    sign_in(page, "chair_p", PASSWORD)
    return page


def test_the_chair_writes_the_report_and_downloads_it(browser, live_server, world, settings):
    settings.UNIVERSITY_NAME = "Әл-Фараби атындағы Қазақ ұлттық университеті"
    page = _chair(browser, live_server)
    path = f"/records/commissions/{world.commission.pk}/report/"
    page.set_viewport_size(SIZES[0][1])
    page.goto(f"/kk{path}")
    assert page.locator("[data-report-empty]").is_visible()
    assert page.locator("[data-report-downloads]").count() == 0
    screenshot(page, "chair-report-empty-phone")

    no_show = ExamineeFactory(
        sitting=world.sitting,
        student=StudentFactory(user=UserFactory(username="noshow", full_name="Сәрсенов Ерлан")),
        position=3,
    )
    absent(world, no_show)
    world.other_examinee.student.gpa = Decimal("3.80")
    world.other_examinee.student.save()
    announced(world, score=40, other_score=92)

    # Reached from the protocols page, where the chair signs.
    page.goto(f"/kk/records/sittings/{world.sitting.pk}/")
    with page.expect_navigation():
        page.locator("[data-report-link]").click()
    assert page.locator('[data-letter="FX"]').get_attribute("data-count") == "1"
    assert "Абаев Әлихан" in page.locator("[data-report-failures]").inner_text()
    assert "Сәрсенов Ерлан" in page.locator("[data-report-failures]").inner_text()
    assert "Үмбетова Ұлжан" in page.locator("[data-report-honours]").inner_text()
    page.fill("#report-quality", QUALITY)
    page.fill("#report-recommendations", "Дерекқорлар бойынша практиканы күшейту.")
    with page.expect_navigation():
        page.get_by_role("button", name="Сақтау").click()
    assert page.locator("#report-quality").input_value() == QUALITY
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF · KK").click()
    assert download.value.suggested_filename.endswith("-kk.pdf")
    page.locator("[data-report-sign] select[name=language]").select_option("ru")
    with page.expect_navigation():
        page.locator("[data-report-sign]").get_by_role("button", name="Қол қою").click()
    copy = page.locator('[data-report-copy="1"]')
    assert "RU" in copy.inner_text() and "Сейітқали Бекнұр" in copy.inner_text()
    screenshot(page, "chair-report-phone")

    found = []
    for device, viewport in SIZES:
        page.set_viewport_size(viewport)
        for lang in LANGUAGES:
            page.goto(f"/{lang}{path}", wait_until="load")
            axe = lang == "kk" or (lang == "ru" and device == "phone")
            problems = page_problems(page, lang=lang, allow=STAFF_ALLOW, axe=axe)
            found += [f"{device} {lang}: {problem}" for problem in problems]
    assert found == [], "\n".join(found)
