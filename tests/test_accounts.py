import pytest

from attestation.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_sign_in_and_land_in_cabinet(world, client):
    response = client.post(
        "/kk/accounts/login/", {"username": "student_p", "password": "demo-pass-1"}
    )
    assert response.status_code == 302
    assert client.get("/kk/").status_code == 200


def test_wrong_password_shows_translated_message(world, client):
    response = client.post("/en/accounts/login/", {"username": "student_p", "password": "x"})
    assert response.status_code == 200
    assert "Wrong username or password" in response.content.decode()


def test_sign_in_is_locked_after_repeated_failures(world, client, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post("/en/accounts/login/", {"username": "student_p", "password": "x"})
    response = client.post(
        "/en/accounts/login/", {"username": "student_p", "password": "demo-pass-1"}
    )
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/kk/training/sac/")
    assert response.status_code == 302
    assert response["Location"].startswith("/kk/accounts/login/")


def test_sign_in_page_lists_demo_accounts_only_in_debug(client, settings, db):
    settings.DEBUG = True
    assert "student01" in client.get("/kk/accounts/login/").content.decode()
    settings.DEBUG = False
    assert "student01" not in client.get("/kk/accounts/login/").content.decode()


def test_language_switch_keeps_the_page_and_remembers_choice(world, client_for):
    client = client_for(world.user("student"))
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/kk/training/sac/"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/training/sac/"
    world.user("student").refresh_from_db()
    assert world.user("student").language == "ru"
    assert AuditEntry.objects.filter(action="user.language", to_state="ru").exists()


def test_language_switch_refuses_foreign_redirects(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/en/"


def test_password_change(world, client_for):
    client = client_for(world.user("student"))
    response = client.post(
        "/en/accounts/password/",
        {
            "old_password": "demo-pass-1",
            "new_password1": "Kazakh-Әліпби-2026",
            "new_password2": "Kazakh-Әліпби-2026",
        },
    )
    assert response.status_code == 302
    world.user("student").refresh_from_db()
    assert world.user("student").check_password("Kazakh-Әліпби-2026")
