import pytest

pytestmark = pytest.mark.django_db


def test_token_then_me_shows_roles(world, client):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "chair_p", "password": "demo-pass-1"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json() == {
        "id": world.user("chair").pk,
        "username": "chair_p",
        "full_name": "Сейітқали Бекнұр",
        "roles": ["chair"],
    }


def test_bad_credentials_answer_401_in_contract_format(world, client):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "chair_p", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"
    assert response.json()["detail"]


def test_token_endpoint_is_throttled_after_repeated_failures(world, client, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(
            "/api/v1/auth/token",
            {"username": "chair_p", "password": "wrong"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": "chair_p", "password": "demo-pass-1"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"


def test_me_without_token_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_garbage_token_is_401(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 401


def test_malformed_token_request_is_422_with_message(client):
    response = client.post("/api/v1/auth/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "password" in body["detail"]


def test_schedule_lists_the_students_own_sittings(world, client, api_for):
    response = client.get("/api/v1/me/schedule", **api_for("student"))
    assert response.status_code == 200
    items = response.json()
    assert [i["examinee_id"] for i in items] == [world.examinee.pk]
    item = items[0]
    assert item["sitting_id"] == world.sitting.pk
    assert item["kind"] == "written_exam"
    assert item["status"] == "waiting"
    assert item["conference_url"] == world.sitting.conference_url
    assert item["starts_at"]


def test_schedule_of_a_non_student_is_empty(world, client, api_for):
    assert client.get("/api/v1/me/schedule", **api_for("chair")).json() == []


def test_session_auth_works_for_get(world, client):
    client.force_login(world.user("student"))
    assert client.get("/api/v1/me").json()["username"] == "student_p"


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/me/schedule" in schema.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200
