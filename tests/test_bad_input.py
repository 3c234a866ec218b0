"""Input that parses but cannot be stored or used: each answered 500 once (a lone surrogate on
both databases, NUL on PostgreSQL, `1e309` as an id, a 50,000-character username, a dict as
text). Now a translated 4xx, and nothing is stored. Run on SQLite and PostgreSQL."""

import json

import pytest
from django.test import Client

from attestation.applications.models import Application
from attestation.proctoring.models import CameraStatus, Incident
from tests.personas import admit

pytestmark = pytest.mark.django_db

SURROGATE = '"\\ud800"'  # JSON text for a lone surrogate: valid JSON, not storable text
NUL = '"a\\u0000b"'
CONTROL = '"a\\u0016b"'  # a control character: storable, but no DOCX or XLSX can hold it


def raw(client, url, body: str, headers=None, **extra):
    return client.generic(
        "POST", url, body.encode(), content_type="application/json", **(headers or {}), **extra
    )


def assert_refused(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"] and body["detail"] != code


# --- sign-in --------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["username", "password"])
@pytest.mark.parametrize("value", [SURROGATE, NUL])
def test_token_request_with_broken_text_is_refused(world, client, field, value):
    other = "password" if field == "username" else "username"
    body = f'{{"{field}": {value}, "{other}": "demo"}}'
    assert_refused(raw(client, "/api/v1/auth/token", body), 422, "invalid_text")


def test_token_request_with_a_huge_username_is_refused(world, client):
    body = json.dumps({"username": "a%" * 25_000, "password": "demo"})
    response = raw(client, "/api/v1/auth/token", body)
    assert_refused(response, 422, "invalid")


def test_sign_in_form_with_a_huge_username_is_refused(world, client):
    response = client.post("/en/accounts/login/", {"username": "a%" * 25_000, "password": "demo"})
    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["username"]
    assert "Wrong username or password" in response.content.decode()
    assert "_auth_user_id" not in client.session


# --- text in operations ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [SURROGATE, NUL, CONTROL])
def test_incident_note_with_broken_text_is_refused(world, client, api_for, value):
    url = f"/api/v1/examinees/{world.examinee.pk}/incidents"
    body = f'{{"category": "other", "note": {value}}}'
    assert_refused(raw(client, url, body, api_for("member")), 422, "invalid_text")
    assert not Incident.objects.exists()


@pytest.mark.parametrize("value", [SURROGATE, NUL])
def test_application_text_with_broken_text_is_refused(world, client, api_for, value):
    body = (
        f'{{"examinee_id": {world.examinee.pk}, "kind": "absence", "reason": "illness", '
        f'"text": {value}}}'
    )
    assert_refused(
        raw(client, "/api/v1/applications", body, api_for("student")), 422, "invalid_text"
    )
    assert not Application.objects.exists()


def test_application_text_that_is_not_a_string_is_refused(world, client, api_for):
    body = json.dumps(
        {"examinee_id": world.examinee.pk, "kind": "absence", "reason": "illness", "text": {"a": 1}}
    )
    assert_refused(raw(client, "/api/v1/applications", body, api_for("student")), 422, "invalid")
    assert not Application.objects.exists()


@pytest.mark.parametrize("number", ["1e309", "Infinity", "-Infinity", "NaN"])
def test_application_id_that_is_not_a_finite_number_is_refused(world, client, api_for, number):
    body = f'{{"examinee_id": {number}, "kind": "absence", "reason": "illness", "text": "x"}}'
    assert_refused(
        raw(client, "/api/v1/applications", body, api_for("student")), 422, "invalid_number"
    )
    assert not Application.objects.exists()


def test_multipart_application_with_nul_is_refused(world, client, api_for):
    response = client.post(
        "/api/v1/applications",
        {"examinee_id": world.examinee.pk, "kind": "absence", "reason": "illness", "text": "a\x00"},
        **api_for("student"),
    )
    assert_refused(response, 422, "invalid_text")
    assert not Application.objects.exists()


def test_query_parameter_with_nul_is_refused(world, client, api_for):
    url = f"/api/v1/sittings/{world.sitting.pk}/protocol.pdf?lang=k%00k"
    assert_refused(client.get(url, **api_for("chair")), 422, "invalid_text")


def test_path_id_that_is_infinite_is_refused(world, client, api_for):
    for value in ("Infinity", "1e309"):
        response = client.get(f"/api/v1/applications/{value}", **api_for("student"))
        assert response.status_code in (404, 422), response.content
        assert response.json()["code"]


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [SURROGATE, NUL])
def test_heartbeat_with_broken_text_is_refused(world, client_for, value):
    admit(world)
    client = client_for(world.user("student"))
    url = f"/kk/proctoring/exam/{world.examinee.pk}/heartbeat/"
    body = f'{{"camera": true, "visible": true, "problem": {value}}}'
    response = client.generic("POST", url, body.encode(), content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_text"
    assert not CameraStatus.objects.exists()


@pytest.mark.parametrize("note", ["a\x00b", "a\x0bb"], ids=["nul", "control_character"])
def test_page_form_with_text_that_is_not_text_is_refused(world, client_for, note):
    client = client_for(world.user("member"))
    response = client.post(
        f"/kk/proctoring/examinees/{world.examinee.pk}/incidents/",
        {"category": "other", "note": note},
    )
    assert response.status_code == 400
    assert "басқару таңбасы" in response.content.decode()  # says which characters, in Kazakh
    assert not Incident.objects.exists()


def test_unknown_json_keys_are_not_judged_as_text(world, client, api_for):
    # A field the schema does not name is dropped unread: its name may be anything storable.
    url = f"/api/v1/examinees/{world.examinee.pk}/incidents"
    body = '{"category": "other", "note": "бар", "\\u0016x": 1}'
    assert raw(client, url, body, api_for("member")).status_code == 201


def test_a_multipart_body_with_no_readable_part_is_refused(world, client, api_for):
    # A part without its headers was read as an empty form: a protocol was signed on a body
    # that meant something else. Only the empty form itself is empty.
    from attestation.records.models import Protocol, Signature
    from attestation.records.services import protocols_ensure

    protocols_ensure(sitting=world.sitting)
    protocol = Protocol.objects.filter(kind="sitting").first() or Protocol.objects.first()
    url = f"/api/v1/protocols/{protocol.pk}/sign"
    boundary = "b0undary"
    content_type = f"multipart/form-data; boundary={boundary}"
    broken = f"--{boundary}\r\n11--{boundary}--\r\n".encode()
    response = client.generic("POST", url, broken, content_type=content_type, **api_for("chair"))
    assert_refused(response, 400, "bad_form")
    assert not Signature.objects.exists()
    empty = f"--{boundary}--\r\n".encode()
    response = client.generic("POST", url, empty, content_type=content_type, **api_for("chair"))
    assert response.status_code != 400, response.content


def test_page_query_with_nul_is_refused(world, client_for):
    client = client_for(world.user("chair"))
    assert client.get("/kk/staff/sittings/?q=%00").status_code == 400


def test_good_text_still_goes_through(world, client, api_for):
    """Kazakh letters, emoji (a surrogate pair in JSON), tabs and new lines are text."""
    url = f"/api/v1/examinees/{world.examinee.pk}/incidents"
    body = '{"category": "other", "note": "Қағаз \\ud83d\\udcf7\\tбар\\nжоқ"}'
    response = raw(client, url, body, api_for("member"))
    assert response.status_code == 201, response.content
    assert Incident.objects.get().note == "Қағаз 📷\tбар\nжоқ"


def test_no_500_without_the_test_client_raising(world, api_for):
    """The same requests with exceptions not re-raised: what a real client sees."""
    client = Client(raise_request_exception=False)
    body = f'{{"username": {SURROGATE}, "password": "x"}}'
    assert raw(client, "/api/v1/auth/token", body).status_code == 422
