"""The video conference: providers against recorded HTTP exchanges (respx: no test touches the
network), the manual link, the commission's page and the student's link in the schedule."""

import hashlib
import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import jwt
import pytest
import respx
import time_machine
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.utils import translation

from attestation import urls as root_urls
from attestation.audit.models import AuditEntry
from attestation.commissions.models import Sitting
from attestation.conference.providers import PROVIDERS, WEBEX_MEETINGS_URL, ConferenceError
from attestation.conference.services import conference_link_set
from attestation.core.errors import DomainError
from tests.factories import ExamineeFactory, SittingFactory, StudentFactory, UserFactory


def _mounted(patterns) -> bool:
    for pattern in patterns:
        if getattr(pattern, "namespace", None) == "conference":
            return True
        if hasattr(pattern, "url_patterns") and _mounted(pattern.url_patterns):
            return True
    return False


# Until attestation/urls.py mounts the app, these tests mount it themselves.
urlpatterns = list(root_urls.urlpatterns)
if not _mounted(urlpatterns):
    urlpatterns += i18n_patterns(
        path("conference/", include("attestation.conference.urls")), prefix_default_language=True
    )

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_conference")]


@pytest.fixture(autouse=True)
def english():
    """Services speak the active language (Kazakh by default); these tests read English."""
    with translation.override("en"):
        yield


ALMATY = ZoneInfo("Asia/Almaty")
START = datetime(2026, 6, 10, 10, 0, tzinfo=ALMATY)
OLD_URL = "https://meet.example.org/room"  # the factory's link

BBB_BASE = "https://bbb.university.kz/bigbluebutton"
BBB_SECRET = "8cd8ef52e8e101574e400365b55e11a6"
JITSI_SECRET = "jitsi-shared-secret-for-tests"


@pytest.fixture
def sitting(world):
    world.sitting.starts_at = START
    world.sitting.save(update_fields=["starts_at"])
    return world.sitting


@pytest.fixture
def jitsi(settings):
    settings.JITSI_DOMAIN = "meet.university.kz"
    settings.JITSI_APP_ID = "attestation"
    settings.JITSI_APP_SECRET = JITSI_SECRET
    settings.SITE_URL = ""
    return settings


@pytest.fixture
def bbb(settings):
    settings.BBB_URL = BBB_BASE + "/"
    settings.BBB_SECRET = BBB_SECRET
    settings.BBB_CHECKSUM = "sha1"
    return settings


@pytest.fixture
def webex(settings):
    settings.WEBEX_TOKEN = "service-app-token"
    return settings


def _unchanged(sitting):
    sitting.refresh_from_db()
    assert sitting.conference_provider == "manual"
    assert sitting.conference_url == OLD_URL
    assert not AuditEntry.objects.filter(action="conference.link_set").exists()


# --- manual ------------------------------------------------------------------------------------
def test_manual_link_is_stored_and_audited(world, sitting):
    secretary = world.user("secretary")
    conference_link_set(
        sitting=sitting, provider="manual", actor=secretary, url="  https://zoom.us/j/123  "
    )
    sitting.refresh_from_db()
    assert sitting.conference_url == "https://zoom.us/j/123"
    entry = AuditEntry.objects.get(action="conference.link_set")
    assert entry.actor == secretary
    assert (entry.from_state, entry.to_state) == ("manual", "manual")
    assert entry.data == {"from_url": OLD_URL, "to_url": "https://zoom.us/j/123"}


@pytest.mark.parametrize(
    "url",
    ["", "javascript:alert(1)", "ftp://files.example.org/x", "meet.example.org", "https://"]
    + ["https://example.org/" + "a" * 500],
)
def test_manual_link_must_be_an_http_url(world, sitting, url):
    with pytest.raises(DomainError) as error:
        conference_link_set(sitting=sitting, provider="manual", actor=world.user("chair"), url=url)
    assert "https://" in error.value.message
    _unchanged(sitting)


def test_unknown_provider_is_refused(world, sitting):
    with pytest.raises(DomainError):
        conference_link_set(sitting=sitting, provider="zoom", actor=world.user("chair"))
    _unchanged(sitting)


# --- Jitsi -------------------------------------------------------------------------------------
def test_jitsi_room_per_sitting(world, sitting, jitsi):
    conference_link_set(sitting=sitting, provider="jitsi", actor=world.user("secretary"))
    sitting.refresh_from_db()
    assert sitting.conference_provider == "jitsi"
    assert sitting.conference_url == "https://meet.university.kz/world-written"
    entry = AuditEntry.objects.get(action="conference.link_set")
    assert (entry.from_state, entry.to_state) == ("manual", "jitsi")


def test_jitsi_stores_our_join_page_when_the_site_is_known(world, sitting, jitsi):
    jitsi.SITE_URL = "https://attestation.university.kz/"
    conference_link_set(sitting=sitting, provider="jitsi", actor=world.user("secretary"))
    sitting.refresh_from_db()
    assert sitting.conference_url == (
        f"https://attestation.university.kz/kk/conference/sittings/{sitting.pk}/join/"
    )


@time_machine.travel(datetime(2026, 6, 10, 9, 35, tzinfo=ALMATY), tick=False)
@pytest.mark.parametrize(("persona", "moderator"), [("chair", True), ("student", False)])
def test_jitsi_token_claims(world, sitting, jitsi, persona, moderator):
    user = world.user(persona)
    url = PROVIDERS["jitsi"].join_url(sitting, user, moderator=moderator)
    base, token = url.split("?jwt=")
    assert base == "https://meet.university.kz/world-written"
    claims = jwt.decode(token, JITSI_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["iss"] == "attestation"
    assert claims["sub"] == "meet.university.kz"
    assert claims["room"] == "world-written"
    assert claims["moderator"] is moderator
    assert claims["context"]["user"]["moderator"] is moderator
    assert claims["context"]["user"]["name"] == user.full_name
    assert claims["context"]["user"]["email"] == user.email
    now = int(START.timestamp()) - 25 * 60
    assert claims["iat"] == now and claims["exp"] == now + 360 * 60
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret", algorithms=["HS256"], audience="jitsi")


def test_jitsi_without_configuration_says_so(world, sitting, settings):
    settings.JITSI_DOMAIN = "meet.university.kz"
    settings.JITSI_APP_ID = ""
    settings.JITSI_APP_SECRET = ""
    with pytest.raises(ConferenceError) as error:
        conference_link_set(sitting=sitting, provider="jitsi", actor=world.user("chair"))
    assert "not configured" in error.value.message
    _unchanged(sitting)


# --- BigBlueButton -----------------------------------------------------------------------------
BBB_CREATED = b"""<response>
<returncode>SUCCESS</returncode>
<meetingID>world-written</meetingID>
<internalMeetingID>1e5f9a3c2b7d4e8f0a1b2c3d4e5f6a7b8c9d0e1f-1781067600000</internalMeetingID>
<parentMeetingID>bbb-none</parentMeetingID>
<createTime>1781067600000</createTime>
<voiceBridge>70757</voiceBridge>
<dialNumber>613-555-1234</dialNumber>
<createDate>Wed Jun 10 04:00:00 UTC 2026</createDate>
<hasUserJoined>false</hasUserJoined>
<duration>0</duration>
<hasBeenForciblyEnded>false</hasBeenForciblyEnded>
<messageKey></messageKey>
<message></message>
</response>"""

BBB_CHECKSUM_ERROR = b"""<response>
<returncode>FAILED</returncode>
<messageKey>checksumError</messageKey>
<message>You did not pass the checksum security check</message>
</response>"""


def _split_checksum(url: httpx.URL | str) -> tuple[str, str, str]:
    """(call, query without checksum, checksum), as the BBB server sees them."""
    parts = urlsplit(str(url))
    query, _sep, checksum = parts.query.rpartition("&checksum=")
    return parts.path.rsplit("/", 1)[1], query, checksum


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_bbb_create_with_a_correct_checksum(world, sitting, bbb, algorithm):
    bbb.BBB_CHECKSUM = algorithm
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(url__startswith=f"{BBB_BASE}/api/create?").mock(
            return_value=httpx.Response(
                200, content=BBB_CREATED, headers={"Content-Type": "text/xml"}
            )
        )
        conference_link_set(sitting=sitting, provider="bbb", actor=world.user("secretary"))
    call, query, checksum = _split_checksum(route.calls.last.request.url)
    assert call == "create"
    expected = getattr(hashlib, algorithm)(f"create{query}{BBB_SECRET}".encode()).hexdigest()
    assert checksum == expected
    params = parse_qs(query)
    assert params["meetingID"] == ["world-written"]
    assert params["name"] == [sitting.title]
    assert params["guestPolicy"] == ["ASK_MODERATOR"]
    assert params["attendeePW"] != params["moderatorPW"]
    sitting.refresh_from_db()
    assert sitting.conference_provider == "bbb"
    assert sitting.conference_url.startswith(BBB_BASE)


@pytest.mark.parametrize(("persona", "role"), [("secretary", "MODERATOR"), ("student", "VIEWER")])
def test_bbb_join_link_per_person(world, sitting, bbb, persona, role):
    user = world.user(persona)
    url = PROVIDERS["bbb"].join_url(sitting, user, moderator=role == "MODERATOR")
    assert url.startswith(f"{BBB_BASE}/api/join?")
    call, query, checksum = _split_checksum(url)
    assert checksum == hashlib.sha1(f"join{query}{BBB_SECRET}".encode()).hexdigest()  # noqa: S324
    params = parse_qs(query)
    assert params["fullName"] == [user.full_name]
    assert params["meetingID"] == ["world-written"]
    assert params["role"] == [role]
    assert params.get("guest") == (["true"] if role == "VIEWER" else None)


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (httpx.Response(200, content=BBB_CHECKSUM_ERROR), "credentials"),
        (httpx.Response(500, text="<html>Internal Server Error</html>"), "HTTP 500"),
        (httpx.Response(401, text="Unauthorized"), "credentials"),
        (httpx.Response(200, text="<html><body>Welcome to nginx!</body>"), "could not read"),
        (httpx.Response(200, text="not xml at all"), "could not read"),
        (
            httpx.Response(200, text='<!DOCTYPE r [<!ENTITY a "aaaa">]><response>&a;</response>'),
            "could not read",
        ),
        (httpx.ConnectTimeout("timed out"), "in time"),
        (httpx.ConnectError("connection refused"), "could not be reached"),
    ],
)
def test_bbb_failures_store_nothing(world, sitting, bbb, response, words, caplog):
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(url__startswith=f"{BBB_BASE}/api/create?")
        if isinstance(response, Exception):
            route.side_effect = response
        else:
            route.return_value = response
        with pytest.raises(ConferenceError) as error:
            conference_link_set(sitting=sitting, provider="bbb", actor=world.user("chair"))
    assert words in error.value.message
    assert error.value.message.startswith("BigBlueButton: ")
    assert "conference bbb failed for sitting world-written" in caplog.text
    assert BBB_SECRET not in caplog.text
    _unchanged(sitting)


def test_bbb_without_configuration_says_so(world, sitting, settings):
    settings.BBB_URL = ""
    settings.BBB_SECRET = ""
    with pytest.raises(ConferenceError, match="not configured"):
        conference_link_set(sitting=sitting, provider="bbb", actor=world.user("chair"))
    _unchanged(sitting)


# --- Webex -------------------------------------------------------------------------------------
WEBEX_CREATED = {
    "id": "870f51ff287b41be84648412901e0402",
    "meetingNumber": "25181231234",
    "title": "Мемлекеттік емтихан: ақпараттық жүйелер",
    "password": "BgJep@43",
    "meetingType": "meetingSeries",
    "state": "active",
    "timezone": "Asia/Almaty",
    "start": "2026-06-10T09:30:00+05:00",
    "end": "2026-06-10T12:30:00+05:00",
    "hostUserId": "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9jN2YxN2IxZi04ZTQxLTQ",
    "hostDisplayName": "Attestation Service",
    "hostEmail": "attestation@university.kz",
    "siteUrl": "university.webex.com",
    "webLink": "https://university.webex.com/university/j.php?MTID=m8c1ef5b8e6d8a2f1e0",
    "sipAddress": "25181231234@university.webex.com",
    "enabledJoinBeforeHost": True,
    "joinBeforeHostMinutes": 15,
}
WEBEX_401 = {
    "message": "The request requires a valid access token set in the Authorization request header.",
    "errors": [{"description": "The request requires a valid access token."}],
    "trackingId": "ROUTER_6648A1B2-1234-01BB-0A1B-0A1B2C3D4E5F",
}


def test_webex_meeting_created_with_the_commission_invited(world, sitting, webex):
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(WEBEX_MEETINGS_URL).mock(
            return_value=httpx.Response(200, json=WEBEX_CREATED)
        )
        conference_link_set(sitting=sitting, provider="webex", actor=world.user("secretary"))
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer service-app-token"
    body = json.loads(request.content)
    assert body["title"] == sitting.title
    assert body["timezone"] == "Asia/Almaty"
    assert body["start"] == "2026-06-10T09:30:00+05:00"  # students join 30 minutes early
    assert body["end"] == "2026-06-10T12:30:00+05:00"  # writing 120 + upload 30
    invited = {i["email"]: i["coHost"] for i in body["invitees"]}
    assert invited == {
        world.user("chair").email: True,
        world.user("member").email: False,
        world.user("deputy").email: False,
        world.user("secretary").email: True,
    }
    sitting.refresh_from_db()
    assert sitting.conference_provider == "webex"
    assert sitting.conference_url == WEBEX_CREATED["webLink"]


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (httpx.Response(401, json=WEBEX_401, headers={"trackingid": "ROUTER_1"}), "credentials"),
        (httpx.Response(500, json={"message": "Internal error", "trackingId": "x"}), "HTTP 500"),
        (httpx.Response(200, text="<html>gateway</html>"), "could not read"),
        (httpx.Response(200, json={"id": "870f", "title": "no link"}), "could not read"),
        (httpx.Response(200, json=["webLink"]), "could not read"),
        (httpx.ReadTimeout("read timed out"), "in time"),
    ],
)
def test_webex_failures_store_nothing(world, sitting, webex, response, words, caplog):
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(WEBEX_MEETINGS_URL)
        if isinstance(response, Exception):
            route.side_effect = response
        else:
            route.return_value = response
        with pytest.raises(ConferenceError) as error:
            conference_link_set(sitting=sitting, provider="webex", actor=world.user("chair"))
    assert words in error.value.message
    assert "service-app-token" not in caplog.text
    _unchanged(sitting)


def test_webex_without_token_calls_nobody(world, sitting, settings):
    settings.WEBEX_TOKEN = ""
    with respx.mock(assert_all_mocked=True), pytest.raises(ConferenceError, match="configured"):
        conference_link_set(sitting=sitting, provider="webex", actor=world.user("chair"))
    _unchanged(sitting)


# --- the commission's page ---------------------------------------------------------------------
PAGE = "/en/conference/sittings/{pk}/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("student", 404),
        ("other_student", 404),
        ("secretary", 200),
        ("member", 200),
        ("chair", 200),
        ("registrar", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_page_for_the_commission_only(world, client_for, persona, status):
    response = client_for(world.user(persona)).get(PAGE.format(pk=world.sitting.pk))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert OLD_URL in html
        assert ('name="provider"' in html) is (persona != "member")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("student", 404),
        ("other_student", 404),
        ("secretary", 302),
        ("member", 404),
        ("chair", 302),
        ("registrar", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_chair_and_secretary_set_the_link(world, client_for, persona, status):
    url = PAGE.format(pk=world.sitting.pk) + "set/"
    data = {"provider": "manual", "url": "https://zoom.us/j/42"}
    response = client_for(world.user(persona)).post(url, data)
    assert response.status_code == status
    world.sitting.refresh_from_db()
    changed = persona in ("secretary", "chair")
    assert (world.sitting.conference_url == "https://zoom.us/j/42") is changed


def test_set_is_post_only_and_the_page_get_only(world, client_for):
    client = client_for(world.user("secretary"))
    assert client.get(PAGE.format(pk=world.sitting.pk) + "set/").status_code == 405
    assert client.post(PAGE.format(pk=world.sitting.pk)).status_code == 405


def test_other_commissions_sitting_is_404_for_the_secretary(world, client_for):
    client = client_for(world.user("secretary"))
    assert client.get(PAGE.format(pk=world.other_sitting.pk)).status_code == 404
    other = PAGE.format(pk=world.other_sitting.pk) + "set/"
    assert client.post(other, {"provider": "manual", "url": "https://x.org"}).status_code == 404


def test_provider_failure_is_shown_plainly(world, sitting, client_for, webex):
    client = client_for(world.user("secretary"))
    with respx.mock(assert_all_called=True) as mock:
        mock.post(WEBEX_MEETINGS_URL).mock(return_value=httpx.Response(401, json=WEBEX_401))
        response = client.post(PAGE.format(pk=sitting.pk) + "set/", {"provider": "webex"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Webex: the provider refused the university&#x27;s credentials" in html
    assert "Traceback" not in html
    _unchanged(sitting)


def test_bad_manual_link_is_shown_plainly(world, sitting, client_for):
    client = client_for(world.user("chair"))
    url = PAGE.format(pk=sitting.pk) + "set/"
    response = client.post(url, {"provider": "manual", "url": "javascript:alert(1)"}, follow=True)
    assert "Paste the full conference link" in response.content.decode()
    _unchanged(sitting)


# --- the join page -----------------------------------------------------------------------------
def _use_jitsi(sitting):
    Sitting.objects.filter(pk=sitting.pk).update(
        conference_provider="jitsi", conference_url="https://meet.university.kz/world-written"
    )


@time_machine.travel(datetime(2026, 6, 10, 9, 31, tzinfo=ALMATY), tick=False)
def test_student_joins_jitsi_as_a_guest_with_a_token(world, sitting, client_for, jitsi):
    _use_jitsi(sitting)
    response = client_for(world.user("student")).get(PAGE.format(pk=sitting.pk) + "join/")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    base, token = response["Location"].split("?jwt=")
    assert base == "https://meet.university.kz/world-written"
    claims = jwt.decode(token, JITSI_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["moderator"] is False


@time_machine.travel(datetime(2026, 6, 10, 9, 0, tzinfo=ALMATY), tick=False)
def test_commission_joins_as_moderator_any_time(world, sitting, client_for, jitsi):
    _use_jitsi(sitting)
    response = client_for(world.user("member")).get(PAGE.format(pk=sitting.pk) + "join/")
    token = response["Location"].split("?jwt=")[1]
    assert jwt.decode(token, JITSI_SECRET, algorithms=["HS256"], audience="jitsi")["moderator"]


@time_machine.travel(datetime(2026, 6, 10, 9, 29, tzinfo=ALMATY), tick=False)
def test_student_gets_no_link_before_the_join_time(world, sitting, client_for, jitsi):
    _use_jitsi(sitting)
    client = client_for(world.user("student"))
    response = client.get(PAGE.format(pk=sitting.pk) + "join/")
    assert response.status_code == 302
    assert response["Location"] == "/en/training/sac/"
    html = client.get(response["Location"]).content.decode()
    assert "The conference link opens at 09:30." in html


@pytest.mark.parametrize("persona", ["registrar", "outsider"])
def test_join_is_404_outside_the_sitting(world, client_for, persona):
    url = PAGE.format(pk=world.sitting.pk) + "join/"
    assert client_for(world.user(persona)).get(url).status_code == 404


def test_student_of_another_sitting_cannot_join(world, client_for):
    student = world.foreign_examinee.student.user
    url = PAGE.format(pk=world.sitting.pk) + "join/"
    assert client_for(student).get(url).status_code == 404


# --- the student's schedule (R-8.1, R-20.1) ----------------------------------------------------
SCHEDULE = "/en/training/sac/"


def test_schedule_hides_the_link_until_30_minutes_before_an_exam(world, sitting, client_for):
    client = client_for(world.user("student"))
    with time_machine.travel(datetime(2026, 6, 10, 9, 29, tzinfo=ALMATY), tick=False):
        html = client.get(SCHEDULE).content.decode()
    assert "The conference link opens at 09:30" in html
    assert OLD_URL not in html
    with time_machine.travel(datetime(2026, 6, 10, 9, 30, tzinfo=ALMATY), tick=False):
        html = client.get(SCHEDULE).content.decode()
    assert OLD_URL in html and "opens at" not in html


def test_schedule_opens_a_defence_15_minutes_before(world, client_for):
    defence = SittingFactory(
        commission=world.commission, form=Sitting.Form.DEFENSE, exam_kind="", starts_at=START
    )
    student = UserFactory(username="defender_p")
    ExamineeFactory(sitting=defence, student=StudentFactory(user=student))
    client = client_for(student)
    with time_machine.travel(datetime(2026, 6, 10, 9, 40, tzinfo=ALMATY), tick=False):
        html = client.get(SCHEDULE).content.decode()
    assert "The conference link opens at 09:45" in html
    with time_machine.travel(datetime(2026, 6, 10, 9, 45, tzinfo=ALMATY), tick=False):
        html = client.get(SCHEDULE).content.decode()
    assert OLD_URL in html


@time_machine.travel(datetime(2026, 6, 10, 9, 40, tzinfo=ALMATY), tick=False)
def test_schedule_sends_per_person_providers_through_the_join_page(world, sitting, client_for):
    _use_jitsi(sitting)
    html = client_for(world.user("student")).get(SCHEDULE).content.decode()
    assert f'href="/en/conference/sittings/{sitting.pk}/join/"' in html


def test_schedule_without_a_link_says_it_will_appear(world, sitting, client_for):
    Sitting.objects.filter(pk=sitting.pk).update(conference_url="")
    html = client_for(world.user("student")).get(SCHEDULE).content.decode()
    assert "The conference link will appear here." in html
