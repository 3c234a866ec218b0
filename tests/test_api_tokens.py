"""API tokens end: logout revokes the calling token, a password change revokes all of the
person's tokens, and the staff can revoke them (audited)."""

import pytest
from django.core.management import call_command

from attestation.accounts.models import ApiToken
from attestation.accounts.services import api_token_issue
from attestation.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_logout_revokes_the_calling_token_only(world, client):
    user = world.user("student")
    one, other = api_token_issue(user=user), api_token_issue(user=user)
    assert client.post("/api/v1/auth/logout", **bearer(one)).status_code == 204
    assert client.get("/api/v1/me", **bearer(one)).status_code == 401
    assert client.get("/api/v1/me", **bearer(other)).status_code == 200
    assert AuditEntry.objects.filter(action="api_token.revoke", target_id=str(user.pk)).exists()
    # A revoked token cannot sign out again: it is simply not a credential any more.
    assert client.post("/api/v1/auth/logout", **bearer(one)).status_code == 401


def test_logout_with_a_session_signs_the_browser_out(world, client):
    client.force_login(world.user("student"))
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_a_password_change_on_the_page_revokes_every_token(world, client_for):
    user = world.user("student")
    keys = [api_token_issue(user=user) for _ in range(2)]
    client = client_for(user)
    response = client.post(
        "/en/accounts/password/",
        {
            "old_password": "demo-pass-1",
            "new_password1": "Kazakh-Әліпби-2026",
            "new_password2": "Kazakh-Әліпби-2026",
        },
    )
    assert response.status_code == 302
    client.logout()  # the session survives its own password change; the tokens must not
    for key in keys:
        assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    entry = AuditEntry.objects.get(action="api_token.revoke_all")
    assert (entry.reason, entry.data) == ("password_changed", {"tokens": 2})
    # A token issued after the change works.
    fresh = client.post(
        "/api/v1/auth/token",
        {"username": "student_p", "password": "Kazakh-Әліпби-2026"},
        content_type="application/json",
    ).json()["token"]
    assert client.get("/api/v1/me", **bearer(fresh)).status_code == 200


def test_any_password_change_revokes_tokens_but_other_saves_do_not(world, client):
    user = world.user("student")
    key = api_token_issue(user=user)
    user.full_name = "Жаңа Аты"
    user.save()
    assert client.get("/api/v1/me", **bearer(key)).status_code == 200
    user.set_password("Another-Pass-2026")
    user.save()
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401


def test_staff_revoke_a_persons_tokens_from_the_admin(world, client):
    student = world.user("student")
    key = api_token_issue(user=student)
    other_key = api_token_issue(user=world.user("chair"))
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.post(
        "/en/admin/accounts/user/",
        {"action": "revoke_api_tokens", "_selected_action": [student.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "API tokens revoked: 1." in response.content.decode()
    client.logout()
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    assert client.get("/api/v1/me", **bearer(other_key)).status_code == 200
    entry = AuditEntry.objects.get(action="api_token.revoke_all")
    assert (entry.actor, entry.reason) == (staff, "staff")
    assert ApiToken.objects.filter(user=student, revoked_at__isnull=True).count() == 0


def test_changepassword_command_revokes_tokens(world, client, monkeypatch):
    user = world.user("student")
    key = api_token_issue(user=user)
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: "Command-Pass-2026")
    call_command("changepassword", user.username, stdout=open("/dev/null", "w"))
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401
