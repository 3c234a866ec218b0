"""Live sittings in the browser (R-13.1, R-19.1, R-22.2, R-23.1, R-25.1).

Time: a live server thread cannot be time-travelled reliably, so these tests move the
database's timestamps relative to now (draws, questioning starts, interruptions) and let the
pages' 3-second polls pick the change up.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from attestation.defense import services as defense
from attestation.live.services import queue_call_next
from attestation.records.sitting import protocol_context
from attestation.tickets.services import ticket_draw
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.live_helpers import (
    defense_ready,
    draws_ago,
    make_form,
    pdf_bytes,
    started_ago,
)
from tests.test_grading_world import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
POLL = 8_000


def test_oral_questioning_time_moves_with_the_last_draw_and_the_queue_advances(new_page, world):
    sitting = make_form(world, "oral_exam")
    admit(world, world.examinee)
    admit(world, world.other_examinee, draw=False)
    draws_ago(sitting, 40)
    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "en")
    secretary.goto(f"/en/live/sittings/{sitting.pk}/")
    first = secretary.locator("[data-questioning-start]").get_attribute("data-questioning-start")
    assert secretary.locator("[data-provisional]").is_visible()

    ticket_draw(examinee=world.other_examinee, position=1, actor=world.user("other_student"))
    secretary.wait_for_function(
        "old => document.querySelector('[data-questioning-start]').dataset.questioningStart"
        " !== old",
        arg=first,
        timeout=POLL,
    )
    assert secretary.locator("[data-provisional]").count() == 0
    secretary.get_by_role("button", name="Call the next").click()
    assert "Questioning begins at" in secretary.locator(".alert--error").inner_text()

    draws_ago(sitting, 31)
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto(f"/en/exam/{world.examinee.pk}/")
    student.wait_for_selector("[data-turn=next]", timeout=POLL)
    other = new_page()
    sign_in(other, "other_p", PASSWORD, "en")
    other.goto(f"/en/exam/{world.other_examinee.pk}/")
    other.wait_for_selector("[data-turn=waiting]", timeout=POLL)
    assert "Абаев" not in other.locator("#live-turn").inner_text()

    secretary.goto(f"/en/live/sittings/{sitting.pk}/")
    secretary.get_by_role("button", name="Call the next").click()
    assert "Абаев Әлихан" in secretary.locator("[data-current-name]").inner_text()
    student.wait_for_selector("[data-turn=now]", timeout=POLL)
    other.wait_for_selector("[data-turn=next]", timeout=POLL)
    secretary.get_by_role("button", name="Finish and call the next").click()
    other.wait_for_selector("[data-turn=now]", timeout=POLL)
    student.wait_for_selector("[data-turn=done]", timeout=POLL)


def test_defence_timers_turn_amber_and_red_and_pause_on_an_interruption(new_page, world):
    sitting = defense_ready(world, starts_at=timezone.now() - timedelta(minutes=5))
    queue_call_next(sitting=sitting, actor=world.user("secretary"))
    started_ago(world.examinee, 7.1)
    chair = new_page()
    sign_in(chair, "chair_p", PASSWORD, "en")
    chair.goto(f"/en/live/sittings/{sitting.pk}/")
    speech = "#live-sitting [data-timer=speech]"
    assert "timer--amber" in chair.locator(speech).get_attribute("class")
    assert "timer--red" not in chair.locator(speech).get_attribute("class")
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto(f"/en/exam/{world.examinee.pk}/")
    student.wait_for_selector("#live-turn [data-timer=speech].timer--amber", timeout=POLL)

    started_ago(world.examinee, 10.05)
    chair.wait_for_selector(f"{speech}.timer--red", timeout=POLL)
    student.wait_for_selector("#live-turn [data-timer=speech].timer--red", timeout=POLL)
    assert "timer--red" not in chair.locator("[data-timer=defence]").get_attribute("class")
    chair.evaluate("window.scrollTo(0, 0)")
    screenshot(chair, "commission-defence-live")
    screenshot(student, "student-defence-turn")

    student.get_by_role("button", name="My connection dropped — I ask to continue").click()
    student.wait_for_selector("#live-turn [data-timer=speech].timer--paused", timeout=POLL)
    chair.wait_for_selector(f"{speech}.timer--paused", timeout=POLL)
    frozen = chair.locator(f"{speech} [data-timer-value]").inner_text()
    chair.wait_for_timeout(2_200)
    assert chair.locator(f"{speech} [data-timer-value]").inner_text() == frozen
    chair.fill(".resolve-form input[name=reason]", "Байланыс қалпына келді")
    chair.get_by_role("button", name="Resume").click()
    assert "timer--paused" not in chair.locator(speech).get_attribute("class")


def test_a_written_question_reaches_the_student_and_the_answer_the_protocol(new_page, world):
    sitting = defense_ready(world, starts_at=timezone.now())
    queue_call_next(sitting=sitting, actor=world.user("secretary"))
    student = new_page(mobile=True)
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto(f"/en/exam/{world.examinee.pk}/")
    student.wait_for_selector("[data-turn=now]", timeout=POLL)

    secretary = new_page()
    sign_in(secretary, "secretary_p", PASSWORD, "en")
    secretary.goto(f"/en/live/sittings/{sitting.pk}/")
    secretary.fill(".question-form input[name=asked_for]", "Жақсылықова Гүлжан")
    secretary.fill(".question-form textarea[name=text]", "Жүйенің қауіпсіздігі қалай тексерілді?")
    secretary.get_by_role("button", name="Send the question").click()

    student.wait_for_selector("text=Жүйенің қауіпсіздігі қалай тексерілді?", timeout=POLL)
    student.fill("#live-turn textarea[name=answer]", "Ену тестілеуімен")
    student.get_by_role("button", name="Send the answer").click()
    secretary.wait_for_selector("[data-answer]:has-text('Ену тестілеуімен')", timeout=POLL)
    row = protocol_context(sitting, "kk")["rows"][0]
    assert any("Ену тестілеуімен" in line for line in row["additional"])


def test_a_fake_pdf_and_a_late_thesis_are_refused(new_page, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.THESIS_MAX_BYTES = 300_000  # the limit checked in the browser, without 50 MB
    # Four days before the defence: the thesis is still to come (nobody admitted yet).
    make_form(world, "defense", starts_at=timezone.now() + timedelta(days=4))
    student = new_page()
    sign_in(student, "student_p", PASSWORD, "en")
    student.goto(f"/en/defense/examinees/{world.examinee.pk}/thesis/")
    fake = tmp_path / "thesis.pdf"
    fake.write_bytes(b"PK\x03\x04 a zip pretending")
    student.set_input_files("#thesis-file", str(fake))
    student.evaluate("window.__notReloaded = true")
    student.get_by_role("button", name="Upload").click()
    assert "This is not a PDF file" in student.locator(".messages .alert--error").inner_text()
    real = tmp_path / "real.pdf"
    real.write_bytes(pdf_bytes(5))
    student.set_input_files("#thesis-file", str(real))
    student.get_by_role("button", name="Upload").click()
    assert "5 pages" in student.locator("[data-thesis]").inner_text()
    # Sent with a progress bar (XHR), the page's content replaced, not reloaded.
    assert student.evaluate("window.__notReloaded") is True
    assert student.locator("[data-thesis-progress] progress").count() == 1

    # Too large for the limit: refused before sending.
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (settings.THESIS_MAX_BYTES + 1))
    student.set_input_files("#thesis-file", str(big))
    student.get_by_role("button", name="Replace the thesis").click()
    assert "larger than" in student.locator("[data-thesis-error]").inner_text()

    type(world.sitting).objects.filter(pk=world.sitting.pk).update(
        starts_at=timezone.now() + timedelta(days=1)
    )
    student.reload()
    # After the deadline no picker and no button: the page says whom to ask.
    assert student.locator("#thesis-file").count() == 0
    assert student.get_by_role("button", name="Replace the thesis").count() == 0
    assert "was due by" in student.locator("[data-thesis-closed]").inner_text()
    assert defense.thesis_deadline(type(world.sitting).objects.get(pk=world.sitting.pk))
