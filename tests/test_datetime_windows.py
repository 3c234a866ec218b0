"""Every datetime a user sends must make sense for its sitting (CONTRACT.md "Always"): an
extreme value (year 9999 at UTC-12, year 1 at UTC+5) was accepted, stored, and then every page
reading the row answered 500 on PostgreSQL (SQLite failed at write time). Now 422, nothing
stored, and the pages keep working. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attestation.applications import services as application_services
from attestation.audit.models import AuditEntry
from attestation.commissions.deadlines import upload_closes_at
from attestation.core.errors import DomainError
from attestation.proctoring.models import Incident
from tests import images as make

pytestmark = pytest.mark.django_db

FAR_FUTURE = "9999-12-31T23:59:59-12:00"  # year 10000 in UTC
FAR_PAST = "0001-01-01T00:00:00+05:00"  # year 0 in UTC


@pytest.fixture
def started(world):
    """The world's written sitting started ten minutes ago; the student drew a ticket."""
    world.sitting.starts_at = timezone.now() - timedelta(minutes=10)
    world.sitting.save(update_fields=["starts_at"])
    make.give_draw(world.examinee)
    world.examinee.refresh_from_db()
    return world


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def assert_out_of_range(response, code="out_of_range"):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"] and body["detail"] != code


def assert_pages_work(world, client, client_for):
    """The pages that broke once such a value was stored: the console, its live part, the
    grading console, the protocol, and the student's own pages."""
    staff = client_for(world.user("secretary"))
    for url in (
        f"/kk/staff/sittings/{world.sitting.pk}/",
        f"/kk/staff/sittings/{world.sitting.pk}/live/",
        f"/kk/staff/examinees/{world.examinee.pk}/",
        f"/kk/grading/sittings/{world.sitting.pk}/",
        f"/kk/grading/examinees/{world.examinee.pk}/",
        f"/api/v1/sittings/{world.sitting.pk}/protocol.pdf",
    ):
        assert staff.get(url).status_code == 200, url
    student = client_for(world.user("student"))
    for url in (
        "/kk/",
        "/kk/training/sac/",
        f"/kk/exam/{world.examinee.pk}/",
        f"/kk/answers/{world.examinee.pk}/",
        "/api/v1/me/schedule",
    ):
        assert student.get(url).status_code == 200, url


# --- the upload window --------------------------------------------------------------------


@pytest.mark.parametrize("until", [FAR_FUTURE, FAR_PAST, "+4 days"])
def test_upload_window_far_from_the_sitting_is_refused(started, client, client_for, api_for, until):
    if until == "+4 days":
        until = (started.sitting.starts_at + timedelta(days=4)).isoformat()
    url = f"/api/v1/examinees/{started.examinee.pk}/upload-window"
    response = post(client, url, {"until": until, "reason": "camera"}, api_for("secretary"))
    assert response.status_code in (400, 422), response.content
    assert response.json()["code"] in ("out_of_range", "until_in_past")
    started.examinee.refresh_from_db()
    assert started.examinee.upload_extended_until is None
    assert not AuditEntry.objects.filter(action="answer.upload_window_extend").exists()
    assert_pages_work(started, client, client_for)


def test_upload_window_year_10000_is_out_of_range(started, client, api_for):
    url = f"/api/v1/examinees/{started.examinee.pk}/upload-window"
    response = post(client, url, {"until": FAR_FUTURE, "reason": "camera"}, api_for("secretary"))
    assert_out_of_range(response)


def test_upload_window_that_would_close_sooner_is_refused(started, client, api_for):
    """Issue 16: "extended" was reported while nothing changed."""
    closes = upload_closes_at(started.examinee)
    url = f"/api/v1/examinees/{started.examinee.pk}/upload-window"
    sooner = (closes - timedelta(minutes=30)).isoformat()
    response = post(client, url, {"until": sooner, "reason": "camera"}, api_for("secretary") | {})
    assert_out_of_range(response, "until_not_later")
    started.examinee.refresh_from_db()
    assert started.examinee.upload_extended_until is None
    later = closes + timedelta(minutes=15)
    ok = post(client, url, {"until": later.isoformat(), "reason": "camera"}, api_for("secretary"))
    assert ok.status_code == 200, ok.content
    started.examinee.refresh_from_db()
    assert started.examinee.upload_extended_until == later


def test_console_extension_shorter_than_the_window_says_so(started, client_for):
    """The console's form extends by minutes from now: within the rule's window that would
    change nothing, and the secretary is told so instead of "extended"."""
    staff = client_for(started.user("secretary"))
    response = staff.post(
        f"/en/staff/examinees/{started.examinee.pk}/extend/",
        {"minutes": "1", "reason": "camera"},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "already stays open until" in text
    assert "The upload window is extended." not in text
    started.examinee.refresh_from_db()
    assert started.examinee.upload_extended_until is None


# --- the announcement ----------------------------------------------------------------------


@pytest.mark.parametrize("when", [FAR_FUTURE, FAR_PAST, "+60 days"])
def test_announcement_far_from_the_sitting_is_refused(started, client, client_for, api_for, when):
    if when == "+60 days":
        when = (started.sitting.starts_at + timedelta(days=60)).isoformat()
    url = f"/api/v1/sittings/{started.sitting.pk}/announcement"
    response = post(client, url, {"announce_at": when}, api_for("chair"))
    assert response.status_code == 422, response.content
    started.sitting.refresh_from_db()
    assert started.sitting.announce_at is None
    assert_pages_work(started, client, client_for)


def test_announcement_in_year_10000_is_out_of_range(started, client, api_for):
    url = f"/api/v1/sittings/{started.sitting.pk}/announcement"
    assert_out_of_range(post(client, url, {"announce_at": FAR_FUTURE}, api_for("chair")))


def test_announcement_a_few_hours_after_the_start_is_kept(started, client, api_for):
    when = started.sitting.starts_at + timedelta(hours=3)
    url = f"/api/v1/sittings/{started.sitting.pk}/announcement"
    response = post(client, url, {"announce_at": when.isoformat()}, api_for("chair"))
    assert response.status_code == 200, response.content
    started.sitting.refresh_from_db()
    assert started.sitting.announce_at == when


def test_announcement_form_refuses_year_9999(started, client, client_for):
    chair = client_for(started.user("chair"))
    response = chair.post(
        f"/en/grading/sittings/{started.sitting.pk}/announce-time/",
        {"announce_at": "9999-12-31T23:59"},
        follow=True,
    )
    assert response.status_code == 200
    assert "must be between" in response.content.decode()
    started.sitting.refresh_from_db()
    assert started.sitting.announce_at is None
    assert_pages_work(started, client, client_for)


# --- incidents -----------------------------------------------------------------------------


@pytest.mark.parametrize("at", [FAR_PAST, FAR_FUTURE, "-2 days"])
def test_incident_time_far_from_the_sitting_is_refused(started, client, client_for, api_for, at):
    if at == "-2 days":
        at = (started.sitting.starts_at - timedelta(days=2)).isoformat()
    url = f"/api/v1/examinees/{started.examinee.pk}/incidents"
    response = post(client, url, {"category": "other", "note": "x", "at": at}, api_for("member"))
    assert response.status_code == 422, response.content
    assert not Incident.objects.exists()
    assert_pages_work(started, client, client_for)


def test_incident_in_year_0_is_out_of_range(started, client, api_for):
    url = f"/api/v1/examinees/{started.examinee.pk}/incidents"
    response = post(
        client, url, {"category": "other", "note": "x", "at": FAR_PAST}, api_for("member")
    )
    assert_out_of_range(response)


def test_incident_during_the_sitting_is_recorded(started, client, api_for):
    at = timezone.now() - timedelta(minutes=5)
    url = f"/api/v1/examinees/{started.examinee.pk}/incidents"
    response = post(
        client, url, {"category": "other", "note": "x", "at": at.isoformat()}, api_for("member")
    )
    assert response.status_code == 201, response.content
    assert Incident.objects.get().at == at


# --- the second sitting --------------------------------------------------------------------


def test_second_sitting_a_year_and_more_away_is_refused(started):
    from attestation.commissions.models import Sitting

    before = Sitting.objects.count()
    with pytest.raises(DomainError) as refused:
        application_services.second_sitting_create(
            original=started.sitting,
            actor=started.user("chair"),
            starts_at=timezone.now() + timedelta(days=400),
        )
    assert refused.value.status == 422
    assert refused.value.code == "out_of_range"
    assert Sitting.objects.count() == before
