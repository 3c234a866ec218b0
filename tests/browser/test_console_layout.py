"""The secretary's console at 1440 px: short rows, a refused action explained at the row
clicked, and irreversible steps confirmed in a dialog that names the student."""

import pytest

from attestation.commissions.models import Examinee
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rows_errors_and_confirmations(new_page, world):
    page = new_page(viewport={"width": 1440, "height": 900})
    sign_in(page, "secretary_p", PASSWORD, "en")
    page.goto(f"/en/staff/sittings/{world.sitting.pk}/")
    row = page.locator(f"#examinee-{world.examinee.pk}")
    assert row.bounding_box()["height"] <= 64  # was 95 px

    row.get_by_role("button", name="Identity confirmed").click()
    page.locator(f"#examinee-{world.examinee.pk}[data-status=identified]").wait_for()
    row = page.locator(f"#examinee-{world.examinee.pk}")
    row.get_by_role("button", name="Admit").click()
    error = page.locator(f"#examinee-{world.examinee.pk}-error [role=alert]")
    error.wait_for()
    assert "Абаев Әлихан" in error.inner_text()
    row_box = page.locator(f"#examinee-{world.examinee.pk}").bounding_box()
    error_box = error.bounding_box()
    assert 0 <= error_box["y"] - (row_box["y"] + row_box["height"]) < 40  # right under it

    # The "next by the list" card has the buttons too, and absence asks first.
    card = page.locator(".card.next")
    assert card.get_by_role("button", name="Admit").is_visible()
    card.get_by_role("button", name="Absent").click()
    dialog = page.locator("dialog.confirm[open]")
    dialog.wait_for()
    assert "Абаев Әлихан" in dialog.inner_text() and "application" in dialog.inner_text()
    dialog.get_by_role("button", name="Cancel").click()
    page.wait_for_timeout(500)
    assert Examinee.objects.get(pk=world.examinee.pk).status == Examinee.Status.IDENTIFIED
    card.get_by_role("button", name="Absent").click()
    page.locator("dialog.confirm[open]").get_by_role("button", name="Mark absent").click()
    page.locator(f"#examinee-{world.examinee.pk}[data-status=absent]").wait_for()

    # Undoing the absence asks as well.
    page.locator(f"#examinee-{world.examinee.pk}").get_by_role(
        "button", name="Joined after all"
    ).click()
    dialog = page.locator("dialog.confirm[open]")
    assert "Абаев Әлихан" in dialog.inner_text()
    dialog.get_by_role("button", name="Joined after all").click()
    page.locator(f"#examinee-{world.examinee.pk}[data-status=identified]").wait_for()
