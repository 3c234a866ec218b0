"""The commission grades and announces; the student sees the result only after (R-15.1,
R-16.1, R-26.1)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.test_grading_world import admit, make_oral, second_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def score(page, examinee, value: str, form: str = "score-form") -> None:
    row = page.locator(f"#examinee-{examinee.pk}")
    row.locator(f"form.{form} input[name=score]").fill(value)
    with page.expect_navigation():
        row.locator(f"form.{form} button[type=submit]").click()


def test_two_members_score_the_chair_decides_and_announces(new_page, world):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    second_member(world)
    console = f"/en/grading/sittings/{world.sitting.pk}/"

    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")

    member = new_page()
    sign_in(member, "member_p", PASSWORD, "en")
    member.goto(console)
    score(member, world.examinee, "60")
    assert member.get_by_text("Your score for Абаев Әлихан is saved.").is_visible()
    score(member, world.other_examinee, "72")

    member2 = new_page()
    sign_in(member2, "member2_p", PASSWORD, "en")
    member2.goto(console)
    row = member2.locator(f"#examinee-{world.examinee.pk}")
    assert row.locator("[data-hidden-scores]").is_visible()
    assert "60" not in row.locator(".scores-cell").inner_text()
    score(member2, world.examinee, "90")
    row = member2.locator(f"#examinee-{world.examinee.pk}")
    assert "Жақсылықова Гүлжан: 60" in row.locator(".scores-cell").inner_text()
    score(member2, world.other_examinee, "70")

    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "en")
    chair.goto(console)
    disagreeing = chair.locator(f"#examinee-{world.examinee.pk}")
    assert "is-disagreement" in disagreeing.get_attribute("class")
    assert "disagreement" in disagreeing.locator(".scores-cell").inner_text()
    assert disagreeing.locator("form.final-form input[name=score]").input_value() == "75"
    assert "is-disagreement" not in (
        chair.locator(f"#examinee-{world.other_examinee.pk}").get_attribute("class") or ""
    )
    assert chair.locator("[data-announce]").is_disabled()

    when = timezone.localtime(world.sitting.starts_at + timedelta(hours=3))
    chair.fill("input[name=announce_at_date]", when.strftime("%d.%m.%Y"))
    chair.fill("input[name=announce_at_time]", when.strftime("%H:%M"))
    with chair.expect_navigation():
        chair.get_by_role("button", name="Set time").click()
    assert chair.get_by_text("The time of the announcement is set.").is_visible()

    score(chair, world.examinee, "75", form="final-form")
    score(chair, world.other_examinee, "71", form="final-form")
    assert "75 — B-" in chair.locator(f"#examinee-{world.examinee.pk} [data-final]").inner_text()
    assert "Final grades: 2 of 2" in chair.locator("[data-final-progress]").inner_text()
    chair.evaluate("window.scrollTo(0, 0)")
    screenshot(chair, "chair-grading")

    # Before the announcement: the time and the link, no grade.
    student.goto("/en/training/sac/")
    assert student.locator("[data-announcement]").is_visible()
    assert "rejoin the conference" in student.locator("[data-announcement]").inner_text()
    assert student.locator("[data-result]").count() == 0
    assert student.request.get(f"/api/v1/examinees/{world.examinee.pk}/result").status == 404

    # Announcing publishes and mails: it asks first, and Cancel changes nothing.
    chair.locator("[data-announce]").click()
    dialog = chair.locator("dialog.confirm[open]")
    assert "e-mail" in dialog.inner_text() and world.sitting.title in dialog.inner_text()
    dialog.get_by_role("button", name="Cancel").click()
    chair.wait_for_timeout(300)
    assert mail.outbox == []
    chair.locator("[data-announce]").click()
    with chair.expect_navigation():
        chair.locator("dialog.confirm[open]").get_by_role(
            "button", name="Announce the results"
        ).click()
    assert chair.get_by_text("The results are announced.").is_visible()
    assert {m.to[0] for m in mail.outbox} == {
        world.examinee.student.user.email,
        world.other_examinee.student.user.email,
    }

    student.goto("/en/training/sac/")
    result = student.locator("[data-result]")
    assert result.is_visible()
    assert result.locator("[data-result-score]").inner_text() == "75"
    assert result.locator("[data-result-letter]").inner_text() == "B-"
    assert "good" in result.inner_text()
    assert "71" not in result.inner_text()
    screenshot(student, "student-result")

    student.goto("/kk/training/sac/")
    result = student.locator("[data-result]")
    assert result.locator("[data-result-score]").inner_text() == "75"
    assert result.locator("[data-result-letter]").inner_text() == "B-"

    chair.goto(f"/en/grading/sittings/{world.sitting.pk}/results/")
    assert chair.locator("svg.chart__svg").is_visible()
    assert chair.locator('[data-letter="B-"]').get_attribute("data-count") == "1"
    assert chair.locator("[data-mean-points]").inner_text() == "2.50"  # (2.67 + 2.33) / 2
    screenshot(chair, "grading-results")
