"""/healthz for the load balancer: 200 over plain HTTP even when every other page redirects to
HTTPS, 503 (not 500) when the database is gone."""

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_answers_plain_http_while_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    page = client.get("/kk/accounts/login/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


def test_the_production_settings_exempt_healthz(monkeypatch):
    """The settings module itself (DEBUG off) lists the exemption, not just this test."""
    import importlib

    import attestation.settings as module

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("SITE_URL", "https://attestation.university.kz")
    try:
        production = importlib.reload(module)
        assert production.SECURE_SSL_REDIRECT is True
        assert production.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["ok"] is False
