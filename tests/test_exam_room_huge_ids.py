"""An id past the database's integer range is simply not found (404), on the hand-written
paths (core/rawsql.py) as on the ORM's."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = 2**70


@pytest.mark.parametrize("path", ["entry", "cards", "ticket", "pages"])
def test_a_huge_examinee_id_is_404(world, client_for, path):
    from attestation.accounts.services import api_token_issue

    token = api_token_issue(user=world.user("student"))
    response = client_for(None).get(
        f"/api/v1/examinees/{HUGE}/{path}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404


def test_a_huge_examinee_id_cannot_be_drawn_for(world, client_for):
    client = client_for(world.user("student"))
    response = client.post(
        f"/api/v1/examinees/{HUGE}/draw", {"position": 1}, content_type="application/json"
    )
    assert response.status_code == 404
