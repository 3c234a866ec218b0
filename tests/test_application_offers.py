"""Forms on offer only where they would be accepted: after an application is filed its form
is not offered again (the schedule, «Өтініштер», the form page), and an appeal commission's
member is told on the home page that applications wait, not that they serve nowhere."""

import pytest

from attestation.applications import services
from tests.applications_world import absent, announced, appeal_commission, certificate_photo

pytestmark = pytest.mark.django_db


def _file(world, kind, reason, files=()):
    return services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind=kind,
        reason=reason,
        text="Себебі жазылды.",
        files=files,
    )


def _pages(student, examinee):
    return {
        "mine": student.get("/en/applications/").content.decode(),
        "sac": student.get("/en/training/sac/").content.decode(),
        "new": student.get(f"/en/applications/new/{examinee.pk}/").content.decode(),
    }


def test_the_absence_form_is_not_offered_once_filed(world, client_for):
    absent(world)
    student = client_for(world.user("student"))
    before = _pages(student, world.examinee)
    assert f"/en/applications/new/{world.examinee.pk}/" in before["mine"]
    assert "data-application-link" in before["sac"]
    assert 'name="reason"' in before["new"]

    _file(world, "absence", "illness", files=[certificate_photo()])
    after = _pages(student, world.examinee)
    assert f"/en/applications/new/{world.examinee.pk}/" not in after["mine"]
    assert "data-application-link" not in after["sac"]
    assert 'name="reason"' not in after["new"]
    assert "No application can be filed for this sitting now." in after["new"]
    assert "already waiting for a decision" in after["new"]
    # Asked for by its address all the same: no form either.
    asked = student.get(f"/en/applications/new/{world.examinee.pk}/?kind=absence")
    assert 'name="reason"' not in asked.content.decode()


def test_the_appeal_form_is_not_offered_once_filed(world, client_for):
    appeal_commission(world)
    announced(world)
    student = client_for(world.user("student"))
    assert "Appeal the grade" in _pages(student, world.examinee)["mine"]
    _file(world, "appeal", services.APPEAL_REASONS[0])
    after = _pages(student, world.examinee)
    assert "Appeal the grade" not in after["mine"] and "Appeal the grade" not in after["sac"]
    assert 'name="reason"' not in after["new"]


def test_the_appeal_commission_home_says_what_waits(world, client_for):
    appeal_commission(world)
    announced(world)
    _file(world, "appeal", services.APPEAL_REASONS[0])
    home = client_for(world.user("student").__class__.objects.get(username="appeal_p"))
    html = home.get("/en/").content.decode()
    assert "1 application waits for your decision." in html
    assert "/en/applications/review/" in html
    assert "You serve in no sitting yet." not in html
