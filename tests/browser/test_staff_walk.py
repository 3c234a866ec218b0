"""The staff's exam day, walked page by page in kk, ru and en, on a 390 px phone and a 1440 px
desktop; every page must pass the checks of tests/browser/page_checks.py (no console errors,
no sideways scrolling, nothing fixed over a button, no English on a Kazakh or Russian page, no
serious axe-core violation), as the student's walk does (test_student_walk.py).

One live server, one signed-in context per role: the languages and the two screen sizes are
looped inside it (the viewport is resized), so the whole walk stays short."""

import pytest

from attestation.commissions.models import Sitting
from attestation.grading.services import score_set
from attestation.imports.models import ImportJob
from attestation.live.services import queue_call_next
from tests.browser.conftest import screenshot, sign_in
from tests.browser.page_checks import page_problems, watch
from tests.browser.test_student_walk import DESKTOP, LANGUAGES, PHONE, media  # noqa: F401
from tests.factories import PASSWORD, SittingFactory
from tests.live_helpers import oral_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Codes and names right on a Kazakh or Russian staff page: CMS (the signature format, like PDF),
# Excel and UTF-8 (the import file's program and encoding), FX (the ECTS letter grade).
STAFF_ALLOW = ("cms", "excel", "utf", "fx")
SIZES = (("phone", PHONE["viewport"]), ("desktop", DESKTOP["viewport"]))


def _signed_in(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url,
        locale="kk-KZ",
        timezone_id="Asia/Almaty",
        bypass_csp=True,  # axe-core is injected as a script
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch(page)
    sign_in(page, username, PASSWORD)
    return page


def _walk(page, role, paths, found, *, allow=STAFF_ALLOW):
    """Every path in every language at both sizes; the problems go to `found`, so that one run
    lists all of them. axe-core runs on the Kazakh pages and the Russian phone ones, as in the
    student's walk."""
    for device, viewport in SIZES:
        page.set_viewport_size(viewport)
        for lang in LANGUAGES:
            for path in paths:
                page.goto(f"/{lang}{path}", wait_until="load")
                axe = lang == "kk" or (lang == "ru" and device == "phone")
                problems = page_problems(page, lang=lang, allow=allow, axe=axe)
                found += [f"{role} {device} {lang} {path}: {problem}" for problem in problems]
                if path == paths[0] and lang == "kk":
                    screenshot(page, f"walk-{role}-{device}")


def test_the_staffs_exam_day_in_three_languages_on_phone_and_desktop(browser, live_server, world):
    # An oral exam under way: both examinees drew 31 minutes ago, the first was called to
    # answer and scored by the member and the deputy chair (the chair sees the quorum and the
    # proposed final grade); a defence sitting of the same commission for its live page.
    sitting = oral_ready(world)
    score_set(examinee=world.examinee, member=world.user("member"), score=70)
    score_set(examinee=world.examinee, member=world.user("deputy"), score=81)
    queue_call_next(sitting=sitting, actor=world.user("secretary"))
    defence = SittingFactory(
        commission=world.commission, code="walk-defence", form=Sitting.Form.DEFENSE
    )
    job = ImportJob.objects.create(
        kind="students",
        original_name="students.xlsx",
        status=ImportJob.Status.DONE,
        rows_total=2,
        rows_done=2,
        counts={"created": 2},
        created_by=world.user("registrar"),
    )
    found = []
    s, e = sitting.pk, world.examinee.pk

    page = _signed_in(browser, live_server, "secretary_p")
    _walk(
        page,
        "secretary",
        # The list, one examinee's page, the console with the attendance panel.
        ["/staff/sittings/", f"/staff/examinees/{e}/", f"/staff/sittings/{s}/"],
        found,
    )
    page.context.close()

    page = _signed_in(browser, live_server, "member_p")
    _walk(page, "member", [f"/grading/sittings/{s}/", f"/live/sittings/{s}/"], found)
    page.context.close()

    page = _signed_in(browser, live_server, "chair_p")
    _walk(
        page,
        "chair",
        [
            f"/grading/sittings/{s}/",
            f"/grading/examinees/{e}/",
            f"/records/sittings/{s}/",
            f"/live/sittings/{s}/",
            f"/live/sittings/{defence.pk}/",
        ],
        found,
    )
    page.context.close()

    page = _signed_in(browser, live_server, "registrar_p")
    _walk(
        page,
        "registrar",
        [
            "/registrar/",
            f"/registrar/imports/{job.pk}/",
            f"/grading/sittings/{s}/results/",
            "/registrar/audit/",
            "/admin/",
        ],
        found,
        # The audit log names its objects by their codes (the sitting's is Latin); the admin
        # greets the person by their username (registrar_p) and lists "API токендері".
        allow=STAFF_ALLOW + (sitting.code, "registrar", "api"),
    )
    page.context.close()
    assert not found, "\n".join(found)
