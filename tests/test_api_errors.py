"""Every response under /api/v1/ is JSON `{detail, code}`, translated (CONTRACT.md "Always"):
also an unknown path, a wrong method, a body that cannot be parsed, 413, 429 and 500. An
invalid bearer token is 401 with `WWW-Authenticate: Bearer`, also on a POST."""

import json

import pytest
from django.test import Client

from attestation.commissions.models import Examinee

pytestmark = pytest.mark.django_db


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] == code, body
    assert body["detail"] and body["detail"] != code
    return body


def test_unknown_path_is_json(world, client, api_for):
    assert_error(client.get("/api/v1/no-such-thing", **api_for("chair")), 404, "not_found")
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_wrong_method_is_json_and_says_what_is_allowed(world, client):
    response = client.get("/api/v1/auth/token")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_body_that_cannot_be_parsed_is_json_in_the_callers_language(world, client):
    kk = assert_error(
        client.post("/api/v1/auth/token", b"{", content_type="application/json"), 400, "bad_json"
    )
    en = assert_error(
        client.post(
            "/api/v1/auth/token", b"{", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        ),
        400,
        "bad_json",
    )
    assert en["detail"] == "The request body is not valid JSON."
    assert kk["detail"] != en["detail"]


@pytest.mark.parametrize("debug", [True, False])
def test_body_over_the_limit_is_413(world, client, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"username": "x" * 2000, "password": "demo"})
    assert_error(
        client.post("/api/v1/auth/token", body, content_type="application/json"), 413, "too_large"
    )


def test_throttled_token_requests_say_when_to_retry(world, client, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    wrong = {"username": "chair_p", "password": "wrong"}
    for _ in range(10):
        response = client.post("/api/v1/auth/token", wrong, content_type="application/json")
        if response.status_code == 429:
            break
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_a_crash_is_json_server_error(world, api_for, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("attestation.api.me.roles_of", boom)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/me", **api_for("chair"))
    body = assert_error(response, 500, "server_error")
    assert "a bug" not in body["detail"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_invalid_bearer_token_is_401_with_www_authenticate(world, client, method):
    url = f"/api/v1/examinees/{world.examinee.pk}/rules"
    if method == "get":
        url = "/api/v1/me"
    response = getattr(client, method)(url, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_invalid_bearer_token_beside_a_session_is_still_401(world, client):
    """A token client is judged by its token: a session cookie does not turn a bad token
    into a CSRF failure (nor into a success)."""
    client.force_login(world.user("student"))
    url = f"/api/v1/examinees/{world.examinee.pk}/rules"
    response = client.post(url, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(response, 401, "not_authenticated")
    assert Examinee.objects.get(pk=world.examinee.pk).rules_acknowledged_at is None


def test_no_token_is_401_with_www_authenticate(world, client):
    response = client.get("/api/v1/me")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_session_without_csrf_is_still_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("student"))
    response = client.post(f"/api/v1/examinees/{world.examinee.pk}/rules")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")
    assert Examinee.objects.get(pk=world.examinee.pk).rules_acknowledged_at is None
