import os

import pytest

from tests.personas import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright beside live_server


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user (or anonymous for None)."""

    def make(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for(world, client):
    """`api_for(persona)`: headers carrying a fresh bearer token for that persona."""
    from attestation.accounts.services import api_token_issue

    def make(persona: str) -> dict:
        user = world.user(persona)
        if user is None:
            return {}
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}

    return make
