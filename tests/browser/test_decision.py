"""The commission's decision in the browser (SPEC K-2, K-4): the secretary marks who of the
commission is present, the quorum line follows live; the chair sees the quorum and the
proposed final grade, and confirms it."""

import pytest
from playwright.sync_api import expect

from attestation.commissions.models import Attendance
from attestation.grading.services import score_set
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.test_grading_world import admit, make_oral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_marks_attendance_and_the_chair_sees_quorum_and_proposed_grade(
    new_page, world
):
    make_oral(world)
    admit(world, world.examinee, draw=False)
    # The sitting starts: nothing recorded yet. The member and the deputy chair score.
    Attendance.objects.filter(sitting=world.sitting).delete()
    score_set(examinee=world.examinee, member=world.user("member"), score=70)
    score_set(examinee=world.examinee, member=world.user("deputy"), score=81)

    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "en")
    secretary.goto(f"/en/staff/sittings/{world.sitting.pk}/")
    panel = secretary.locator("#attendance")
    expect(panel.locator("[data-quorum]")).to_contain_text("present 0 of 3, quorum 2 (two thirds)")
    expect(panel.locator("[data-quorum]")).to_contain_text("no quorum: 2 more members needed")
    secretary.click("[data-mark-present=chair_p]")
    expect(panel.locator("[data-quorum]")).to_contain_text("present 1 of 3")
    expect(panel.locator("[data-quorum]")).to_contain_text("no quorum: 1 more member needed")
    secretary.click("[data-mark-present=member_p]")
    expect(panel.locator("[data-attendance=member_p]")).to_have_attribute("data-present", "present")
    # The deputy chair left: their score no longer makes the proposed grade.
    secretary.click("[data-mark-absent=deputy_p]")
    expect(panel.locator("[data-attendance=deputy_p]")).to_have_attribute("data-present", "absent")
    expect(panel.locator("[data-quorum]")).to_contain_text("present 2 of 3, quorum 2")
    expect(panel.locator("[data-quorum]")).to_contain_text("quorum met")
    screenshot(secretary, "secretary-attendance")
    marks = dict(Attendance.objects.values_list("user__username", "present"))
    assert marks == {"chair_p": True, "member_p": True, "deputy_p": False}

    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "en")
    chair.goto(f"/en/grading/sittings/{world.sitting.pk}/")
    expect(chair.locator("[data-decision-summary] [data-quorum]")).to_contain_text(
        "present 2 of 3, quorum 2 (two thirds)"
    )
    row = chair.locator(f"#examinee-{world.examinee.pk}")
    expect(row.locator("form.final-form input[name=score]")).to_have_value("70")
    chair.goto(f"/en/grading/examinees/{world.examinee.pk}/")
    expect(chair.locator("[data-decision] [data-quorum]")).to_contain_text("quorum met")
    expect(chair.locator("[data-proposed]")).to_contain_text("Proposed final grade: 70")
    expect(chair.locator("#final-score")).to_have_value("70")
    # Far from the proposed grade without a reason: refused, with the rule.
    chair.fill("#final-score", "95")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Set the final grade").click()
    expect(chair.get_by_text("differs from the proposed 70 by more than 15 points")).to_be_visible()
    chair.fill("#final-score", "70")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Set the final grade").click()
    expect(chair.locator("[data-final]")).to_contain_text("70")
    screenshot(chair, "chair-decision")
    world.examinee.refresh_from_db()
    assert world.examinee.final_score == 70
