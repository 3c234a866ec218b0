"""After the announcement the answers are closed for good (SPEC K-7, CONTRACT.md): reopen, new
pages, submit and the upload window answer 409 `announced` with a sentence, in the API and the
pages; the console no longer readmits an absent student ("Joined after all")."""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from attestation.commissions.models import Examinee, Sitting
from tests import images as make
from tests.images import multipart

pytestmark = pytest.mark.django_db
MESSAGE = "The results are announced: the answers of this sitting are closed for good."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def announce(world) -> None:
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=timezone.now())


def assert_announced(response):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "announced"
    with translation.override("kk"):
        assert body["detail"] == gettext(MESSAGE) != MESSAGE


def page(client, examinee, token):
    body, ctype = multipart({"file": ("p.jpg", "image/jpeg", make.jpeg(make.sharp_page(600, 800)))})
    return client.generic(
        "POST", f"/api/v1/examinees/{examinee.pk}/pages", body, content_type=ctype, **token
    )


def test_reopen_after_the_announcement_is_409_and_changes_nothing(world, client, api_for):
    make.give_draw(world.examinee)
    student = api_for("student")
    assert page(client, world.examinee, student).status_code == 201
    assert client.post(f"/api/v1/examinees/{world.examinee.pk}/submit", **student).status_code in (
        200,
        201,
    )
    announce(world)
    response = client.post(
        f"/api/v1/examinees/{world.examinee.pk}/reopen",
        {"reason": "Екінші бет қайталанды"},
        content_type="application/json",
        **api_for("secretary"),
    )
    assert_announced(response)
    world.examinee.refresh_from_db()
    assert world.examinee.status == Examinee.Status.SUBMITTED


def test_pages_submit_and_upload_window_after_the_announcement_are_409(world, client, api_for):
    make.give_draw(world.examinee)
    student = api_for("student")
    assert page(client, world.examinee, student).status_code == 201
    announce(world)
    assert_announced(page(client, world.examinee, student))
    assert_announced(client.post(f"/api/v1/examinees/{world.examinee.pk}/submit", **student))
    until = timezone.now() + timezone.timedelta(minutes=10)
    window = client.post(
        f"/api/v1/examinees/{world.examinee.pk}/upload-window",
        {"until": until.isoformat(), "reason": "Интернет үзілді"},
        content_type="application/json",
        **api_for("secretary"),
    )
    assert_announced(window)
    world.examinee.refresh_from_db()
    assert world.examinee.status == Examinee.Status.DRAWN
    assert world.examinee.upload_extended_until is None
    assert world.examinee.pages.count() == 1


def test_the_console_reopen_page_refuses_after_the_announcement(world, client_for, api_for, client):
    make.give_draw(world.examinee)
    student = api_for("student")
    page(client, world.examinee, student)
    client.post(f"/api/v1/examinees/{world.examinee.pk}/submit", **student)
    announce(world)
    secretary = client_for(world.user("secretary"))
    response = secretary.post(
        f"/kk/staff/examinees/{world.examinee.pk}/reopen/",
        {"reason": "Екінші бет қайталанды"},
        follow=True,
    )
    with translation.override("kk"):
        assert gettext(MESSAGE) in response.content.decode()
    world.examinee.refresh_from_db()
    assert world.examinee.status == Examinee.Status.SUBMITTED


def test_late_join_no_longer_readmits_an_absent_student_to_an_announced_sitting(world, client_for):
    secretary = client_for(world.user("secretary"))
    examinee = world.other_examinee
    secretary.post(f"/kk/staff/examinees/{examinee.pk}/absent/")
    examinee.refresh_from_db()
    assert examinee.status == Examinee.Status.ABSENT
    announce(world)
    live = secretary.get(f"/kk/staff/sittings/{world.sitting.pk}/live/").content.decode()
    assert f"/staff/examinees/{examinee.pk}/present/" not in live
    response = secretary.post(f"/kk/staff/examinees/{examinee.pk}/present/", follow=True)
    with translation.override("kk"):
        assert gettext(MESSAGE) in response.content.decode()
    examinee.refresh_from_db()
    assert examinee.status == Examinee.Status.ABSENT
