"""The student's exam day, walked page by page in kk, ru and en, on a 390 px phone and a
1440 px desktop; every page must pass `assert_page_sound` (tests/browser/page_checks.py):
no console errors, no sideways scrolling, nothing fixed over a button or a question, no
English on a Kazakh or Russian page, no serious axe-core violation.

One live server and two signed-in contexts (phone, desktop) for the whole walk; the world is
moved through the day with the real services between the rounds of pages."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from attestation.answers.services import answer_page_add
from attestation.commissions.models import Examinee
from attestation.commissions.services import examinee_mark_absent
from attestation.defense.services import thesis_upload
from attestation.tickets.services import ticket_draw
from tests import images as make
from tests.browser.conftest import screenshot, sign_in
from tests.browser.page_checks import page_problems, watch
from tests.factories import PASSWORD, ExamineeFactory, SittingFactory
from tests.live_helpers import defense_ready, pdf_bytes, pdf_upload
from tests.personas import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("kk", "ru", "en")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _contexts(browser, live_server):
    pages = {}
    for device, options in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(
            base_url=live_server.url,
            locale="kk-KZ",
            timezone_id="Asia/Almaty",
            bypass_csp=True,  # axe-core is injected as a script
            **options,
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        watch(page)
        pages[device] = page
    return pages


def _round(pages, paths, found, *, shot=None, allow=()):
    """Every path in every language on both devices; the problems go to `found`, so that one
    run lists all of them. axe-core (the slowest check) runs on every phone page and on the
    Kazakh desktop ones: what it finds rarely depends on the language, and the contrast and
    names it checks are the same at 1440 px."""
    for device, page in pages.items():
        for lang in LANGUAGES:
            for path in paths:
                page.goto(f"/{lang}{path}", wait_until="load")
                axe = device == "phone" or lang == "kk"
                problems = page_problems(page, lang=lang, allow=allow, axe=axe)
                found += [f"{device} {lang} {path}: {problem}" for problem in problems]
                if shot and path == paths[0] and lang == "kk":
                    screenshot(page, f"walk-{shot}-{device}")


def test_the_students_exam_day_in_three_languages_on_phone_and_desktop(browser, live_server, world):
    examinee = world.examinee
    pages = _contexts(browser, live_server)
    for page in pages.values():
        sign_in(page, "student_p", PASSWORD)
    room = f"/exam/{examinee.pk}/"
    found = []

    # The day before: the cabinet, the schedule, the guides, the room with the rules.
    _round(
        pages,
        ["/", "/training/sac/", "/proctoring/prepare/", "/proctoring/self-check/", room],
        found,
        shot="before",
    )

    # Admitted, then the ticket with pages uploaded (the cards' buttons in reach).
    admit(world)
    _round(pages, [room], found, shot="admitted")
    examinee = Examinee.objects.get(pk=examinee.pk)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    for seed in (1, 2, 3):
        answer_page_add(
            examinee=Examinee.objects.get(pk=examinee.pk),
            file=SimpleUploadedFile(
                f"IMG_{seed}.JPG", make.jpeg(make.sharp_page(900, 1200, seed=seed)), "image/jpeg"
            ),
            actor=examinee.student.user,
        )
    _round(pages, [f"{room}ticket/", room], found, shot="ticket")

    # After the end: results announced, the applications.
    Examinee.objects.filter(pk=examinee.pk).update(status=Examinee.Status.DONE, final_score=73)
    world.sitting.announced_at = timezone.now() - timedelta(minutes=5)
    world.sitting.status = world.sitting.Status.ANNOUNCED
    world.sitting.save()
    _round(pages, ["/", "/training/sac/", room, "/applications/"], found, shot="result")
    assert not found, "\n".join(found)


def test_the_defence_students_pages_in_three_languages_on_phone_and_desktop(
    browser, live_server, world
):
    """The thesis page with an uploaded thesis (its SHA-256 on a 390 px screen), the defence
    room, and the absence form of a student marked absent in another sitting."""
    defense_ready(world, starts_at=timezone.now() + timedelta(days=4))
    examinee = Examinee.objects.get(pk=world.examinee.pk)
    thesis_upload(examinee=examinee, file=pdf_upload(pdf_bytes(3)), actor=examinee.student.user)
    missed = ExamineeFactory(
        sitting=SittingFactory(commission=world.commission, code="walk-missed"),
        student=examinee.student,
    )
    examinee_mark_absent(examinee=missed, actor=world.user("secretary"))
    pages = _contexts(browser, live_server)
    for page in pages.values():
        sign_in(page, "student_p", PASSWORD)
    found = []
    _round(
        pages,
        [
            f"/defense/examinees/{examinee.pk}/thesis/",
            f"/exam/{examinee.pk}/",
            f"/applications/new/{missed.pk}/",
        ],
        found,
        shot="defence",
    )
    assert not found, "\n".join(found)
