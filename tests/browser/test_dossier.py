"""The defence dossier in the browser (SPEC K-8): the secretary's console (in Russian) refuses
a defence on an incomplete dossier naming what is missing and admits on a complete one; the
department (in Kazakh, on a phone) sees its list, uploads the missing review, and the
student is admitted."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.page_checks import assert_page_sound, watch
from tests.dossier_world import defence, dossier_complete, identified, pdf_bytes
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LATIN = ("StrikePlagiarism", "PDF", "ID", "B+")


def test_a_defence_is_admitted_on_a_complete_dossier_and_refused_on_an_incomplete_one(
    new_page, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    defence(world)
    dossier_complete(world.other_examinee)
    dossier = dossier_complete(world.examinee)
    dossier.review.delete(save=True)  # the review has not come yet
    identified(world, world.examinee)
    identified(world, world.other_examinee)

    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "ru")
    secretary.goto(f"/ru/staff/sittings/{world.sitting.pk}/")
    row = secretary.locator(f"#examinee-{world.examinee.pk}")
    expect(row.locator("[data-dossier-state]")).to_have_attribute(
        "data-dossier-state", "incomplete"
    )
    row.get_by_role("button", name="Допустить").click()
    error = secretary.locator(f"#examinee-{world.examinee.pk}-error")
    expect(error).to_contain_text("Документы к защите неполны")
    expect(error).to_contain_text("рецензия (PDF)")
    expect(secretary.locator(f"#examinee-{world.examinee.pk}")).to_have_attribute(
        "data-status", "identified"
    )
    screenshot(secretary, "secretary-dossier-incomplete")
    other = secretary.locator(f"#examinee-{world.other_examinee.pk}")
    other.get_by_role("button", name="Допустить").click()
    secretary.locator(f"#examinee-{world.other_examinee.pk}[data-status=admitted]").wait_for()

    department = new_page(mobile=True, bypass_csp=True)  # axe-core is injected inline
    watch(department)
    sign_in(department, "department_p", PASSWORD, "kk")
    department.goto("/kk/defense/department/")
    listed = department.locator(f"#dossier-{world.examinee.pk}")
    expect(listed).to_have_attribute("data-complete", "no")
    expect(listed).to_contain_text("рецензия (PDF)")
    assert_page_sound(department, lang="kk", allow=LATIN, name="department list")
    listed.get_by_role("link", name=world.examinee.student.full_name).click()
    review = tmp_path / "review.pdf"
    review.write_bytes(pdf_bytes(2))
    department.set_input_files("#review", str(review))
    department.get_by_role("button", name="Құжаттарды сақтау").click()
    expect(department.locator("[data-dossier-complete]")).to_be_visible()
    assert_page_sound(department, lang="kk", allow=LATIN, name="dossier form")
    screenshot(department, "department-dossier-phone")

    row = secretary.locator(f"#examinee-{world.examinee.pk}")
    expect(row.locator("[data-dossier-state]")).to_have_attribute(
        "data-dossier-state", "complete", timeout=8000
    )
    row.get_by_role("button", name="Допустить").click()
    secretary.locator(f"#examinee-{world.examinee.pk}[data-status=admitted]").wait_for()
