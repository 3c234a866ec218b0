"""Applications in the browser (R-17.1, R-27.1): a student applies with a certificate photo,
the chair decides; an appeal is refused after its deadline; an appeal changes the grade."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attestation.applications.deadlines import appeal_deadline
from attestation.commissions.models import Sitting
from tests.applications_world import absent, announced, appeal_commission, next_sitting
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.images import jpeg, sharp_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def apply_for_absence(page, world, tmp_path, text: str) -> None:
    photo = tmp_path / "medical-certificate.jpg"
    photo.write_bytes(jpeg(sharp_page(900, 1200)))
    page.goto("/en/training/sac/")
    page.locator("[data-application-link]").first.click()
    page.select_option("#id_reason", "illness")
    page.fill("#id_text", text)
    page.set_input_files("#id_files", str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="Send to the chair").click()
    assert page.get_by_text("Your application has been sent.").is_visible()


def test_approved_absence_moves_the_student_to_the_next_sitting(new_page, world, tmp_path):
    absent(world)
    target = next_sitting(world, days=5)
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    apply_for_absence(student, world, tmp_path, "Қатты ауырып қалдым, анықтама тіркелді.")

    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "en")
    chair.goto("/en/applications/review/")
    assert "Абаев Әлихан" in chair.locator("[data-waiting]").inner_text()
    chair.locator("[data-waiting] a", has_text="Open").first.click()
    evidence = chair.locator("[data-evidence] img").first
    evidence.wait_for()
    # The certificate photo is served and shown (it loads lazily: wait for it).
    chair.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=evidence.element_handle()
    )
    assert chair.locator("#id_new_sitting").input_value() == str(target.pk)
    chair.fill("#id_reason", "Медициналық анықтама бар.")
    screenshot(chair, "chair-applications")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Record the decision").click()
    assert chair.get_by_text("The decision is recorded.").is_visible()

    chair.goto(f"/en/staff/sittings/{target.pk}/")
    assert "Абаев Әлихан" in chair.locator("main").inner_text()
    student.goto("/en/applications/")
    item = student.locator("[data-application]").first
    assert item.get_attribute("data-status") == "approved"


def test_rejected_absence_stays_rejected_with_its_reason(new_page, world, tmp_path):
    absent(world)
    next_sitting(world)
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    apply_for_absence(student, world, tmp_path, "Интернет болмады.")

    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "en")
    chair.goto("/en/applications/review/")
    chair.locator("[data-waiting] a", has_text="Open").first.click()
    chair.check("input[name=decision][value=reject]")
    chair.fill("#id_reason", "Анықтама жоқ, себеп дәлелденбеді.")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Record the decision").click()
    assert chair.locator("[data-decision-form]").count() == 0

    student.goto("/en/applications/")
    item = student.locator("[data-application]").first
    assert item.get_attribute("data-status") == "rejected"
    assert (
        "Анықтама жоқ, себеп дәлелденбеді." in item.locator("[data-decision-reason]").inner_text()
    )


def test_appeal_after_the_deadline_is_refused(new_page, world):
    announced(world)
    long_ago = timezone.now() - timedelta(days=10)
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=long_ago)
    world.sitting.refresh_from_db()
    assert appeal_deadline(world.sitting) < timezone.now()
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto("/en/training/sac/")
    assert student.locator("[data-application-link]").count() == 0
    student.goto(f"/en/applications/new/{world.examinee.pk}/?kind=appeal")
    assert student.get_by_text("No application can be filed for this sitting now.").is_visible()


def test_appeal_decision_changes_the_grade_the_student_sees(new_page, world):
    announced(world, score=58)
    appeal_commission(world)
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto("/en/training/sac/")
    assert student.locator("[data-result-score]").first.inner_text() == "58"
    student.locator("[data-application-link]").first.click()
    student.fill("#id_text", "Екінші сұраққа жауабым толық бағаланбады.")
    with student.expect_navigation():
        student.get_by_role("button", name="Send to the chair").click()

    member = new_page()
    sign_in(member, "member_p", PASSWORD, "en")  # examined this student: sees nothing
    member.goto("/en/applications/review/")
    assert "Абаев Әлихан" not in member.locator("main").inner_text()

    appeal = new_page()
    sign_in(appeal, "appeal_p", PASSWORD, "en")
    appeal.goto("/en/applications/review/")
    appeal.locator("[data-waiting] a", has_text="Open").first.click()
    assert appeal.locator("[data-appeal-materials]").is_visible()
    appeal.check("input[name=decision][value=approve]")
    appeal.fill("#id_new_score", "76")
    appeal.fill("#id_reason", "Екінші сұраққа жауап толық.")
    with appeal.expect_navigation():
        appeal.get_by_role("button", name="Record the decision").click()
    assert appeal.get_by_text("The decision is recorded.").is_visible()

    student.goto("/en/training/sac/")
    assert student.locator("[data-result-score]").first.inner_text() == "76"
    student.goto("/en/applications/")
    assert student.locator("[data-new-score]").first.inner_text() == "76"
    screenshot(student, "student-appeal-result")


def test_the_chair_sets_the_second_sittings_date_and_time_when_approving(new_page, world):
    """K-12: no later sitting exists; the chair writes the date and a 24-hour time beside the
    (empty) list of sittings and approves: the second sitting is created and the student is
    in its list."""
    from attestation.applications import services

    absent(world)
    services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="absence",
        reason="illness",
        text="Ауырып қалдым.",
    )
    when = timezone.localtime(world.sitting.starts_at + timedelta(days=6))
    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "en")
    chair.goto("/en/applications/review/")
    chair.locator("[data-waiting] a", has_text="Open").first.click()
    boxes = chair.locator("[data-second-sitting-start] input")
    assert boxes.count() == 2
    assert boxes.nth(1).get_attribute("placeholder") == "hh:mm"
    boxes.nth(0).fill(when.strftime("%d.%m.%Y"))
    boxes.nth(1).fill("16:45")
    chair.fill("#id_reason", "Анықтама бар.")
    screenshot(chair, "chair-second-sitting-date")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Record the decision").click()
    assert chair.get_by_text("The decision is recorded.").is_visible()
    second = Sitting.objects.get(second_of=world.sitting)
    assert timezone.localtime(second.starts_at).strftime("%d.%m.%Y %H:%M") == (
        f"{when:%d.%m.%Y} 16:45"
    )
    assert second.examinees.get().student == world.examinee.student
    assert "16:45" in chair.locator("[data-decision-reason]").locator("..").inner_text()
