"""The exam room through the API of CONTRACT.md: identity → admit → entry → cards → draw."""

import pytest

from attestation.audit.models import AuditEntry
from attestation.tickets.models import Draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, api_for):
    def make(persona, method, path, body=None):
        kwargs = api_for(persona)
        if method == "get":
            return client.get(path, **kwargs)
        return client.post(path, body or {}, content_type="application/json", **kwargs)

    return make


def admit(call, world, examinee=None):
    examinee = examinee or world.examinee
    owner = "student" if examinee == world.examinee else "other_student"
    assert call(owner, "post", f"/api/v1/examinees/{examinee.pk}/rules").status_code == 200
    response = call(
        "secretary", "post", f"/api/v1/examinees/{examinee.pk}/identity", {"verified": True}
    )
    assert response.status_code == 200, response.content
    response = call("secretary", "post", f"/api/v1/examinees/{examinee.pk}/admit")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_list_comes_in_order_for_the_commission(call, world):
    for persona in ("secretary", "member", "chair"):
        rows = call(persona, "get", f"/api/v1/sittings/{world.sitting.pk}/examinees").json()
        assert [r["full_name"] for r in rows] == ["Абаев Әлихан", "Үмбетова Ұлжан"]
        assert rows[0] == {
            "examinee_id": world.examinee.pk,
            "position": 1,
            "full_name": "Абаев Әлихан",
            "group": "ИС-22-1",
            "status": "waiting",
            "identity_verified": False,
            "admitted": False,
            "ticket_number": None,
            "extra_minutes": 0,  # accommodations (SPEC K-14)
            "exam_language": "",
        }


@pytest.mark.parametrize("persona", ["student", "outsider", "registrar"])
def test_the_list_is_404_outside_the_commission(call, world, persona):
    assert call(persona, "get", f"/api/v1/sittings/{world.sitting.pk}/examinees").status_code == 404


def test_admission_is_refused_before_identity(call, world):
    call("student", "post", f"/api/v1/examinees/{world.examinee.pk}/rules")
    response = call("secretary", "post", f"/api/v1/examinees/{world.examinee.pk}/admit")
    assert response.status_code == 409
    assert response.json()["code"] == "identity_not_verified"
    assert response.json()["detail"]


def test_admission_is_refused_before_the_rules(call, world):
    call("secretary", "post", f"/api/v1/examinees/{world.examinee.pk}/identity", {"verified": True})
    response = call("secretary", "post", f"/api/v1/examinees/{world.examinee.pk}/admit")
    assert response.status_code == 409
    assert response.json()["code"] == "rules_not_acknowledged"


def test_only_the_secretary_records_identity_and_admits(call, world):
    for persona in ("member", "chair", "student", "outsider"):
        response = call(
            persona, "post", f"/api/v1/examinees/{world.examinee.pk}/identity", {"verified": True}
        )
        assert response.status_code == 404, persona


def test_entry_turns_green_on_admission(call, world):
    url = f"/api/v1/examinees/{world.examinee.pk}/entry"
    before = call("student", "get", url).json()
    assert before["admitted"] is False and before["status"] == "waiting"
    row = admit(call, world)
    assert row["admitted"] is True and row["identity_verified"] is True
    after = call("student", "get", url).json()
    assert after["admitted"] is True and after["status"] == "admitted"
    actions = list(
        AuditEntry.objects.filter(target_id=str(world.examinee.pk)).values_list("action", flat=True)
    )
    assert {"examinee.rules", "examinee.identify", "examinee.admit"} <= set(actions)


def test_entry_of_another_student_is_404(call, world):
    assert (
        call("other_student", "get", f"/api/v1/examinees/{world.examinee.pk}/entry").status_code
        == 404
    )
    assert (
        call("secretary", "get", f"/api/v1/examinees/{world.examinee.pk}/entry").status_code == 404
    )


def test_cards_reveal_nothing_but_positions(call, world):
    assert call("student", "get", f"/api/v1/examinees/{world.examinee.pk}/cards").status_code == 409
    admit(call, world)
    cards = call("student", "get", f"/api/v1/examinees/{world.examinee.pk}/cards").json()
    assert cards == [{"position": n} for n in range(1, 6)]


def test_draw_gives_one_ticket_and_repeats_return_it(call, world):
    admit(call, world)
    url = f"/api/v1/examinees/{world.examinee.pk}/draw"
    first = call("student", "post", url, {"position": 3})
    assert first.status_code == 201
    body = first.json()
    assert 1 <= body["ticket_number"] <= 5
    assert len(body["questions"]) == 3
    assert body["answer_deadline"]
    again = call("student", "post", url, {"position": 1})
    assert again.status_code == 200
    assert again.json() == body
    assert Draw.objects.filter(examinee=world.examinee).count() == 1
    assert AuditEntry.objects.filter(action="ticket.draw").count() == 1
    shown = call("secretary", "get", f"/api/v1/examinees/{world.examinee.pk}/ticket").json()
    assert shown["ticket_number"] == body["ticket_number"]


def test_draw_before_admission_is_409_and_changes_nothing(call, world):
    response = call(
        "student", "post", f"/api/v1/examinees/{world.examinee.pk}/draw", {"position": 1}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_admitted"
    assert not Draw.objects.exists()


def test_draw_for_someone_elses_examinee_is_404(call, world):
    admit(call, world)
    response = call(
        "other_student", "post", f"/api/v1/examinees/{world.examinee.pk}/draw", {"position": 1}
    )
    assert response.status_code == 404
    assert not Draw.objects.exists()


@pytest.mark.parametrize("body", [{"position": 0}, {"position": 99}, {"position": "x"}, {}])
def test_draw_with_a_bad_card_is_4xx(call, world, body):
    admit(call, world)
    response = call("student", "post", f"/api/v1/examinees/{world.examinee.pk}/draw", body)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert not Draw.objects.exists()


def test_ticket_before_the_draw_is_404(call, world):
    assert (
        call("student", "get", f"/api/v1/examinees/{world.examinee.pk}/ticket").status_code == 404
    )


def test_entry_poll_checks_the_token_in_its_single_query(world, client):
    from datetime import timedelta

    from django.utils import timezone

    from attestation.accounts.models import ApiToken
    from attestation.accounts.services import api_token_issue

    url = f"/api/v1/examinees/{world.examinee.pk}/entry"
    key = api_token_issue(user=world.user("student"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(url, **auth).json()["status"] == "waiting"
    other = api_token_issue(user=world.user("other_student"))
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    token.expires_at = timezone.now()
    token.save()
    assert client.get(url, **auth).status_code == 401
    token.expires_at = timezone.now() + timedelta(days=1)
    token.revoked_at = timezone.now()
    token.save()
    assert client.get(url, **auth).status_code == 401
    token.revoked_at = None
    token.save()
    world.user("student").is_active = False
    world.user("student").save()
    assert client.get(url, **auth).status_code == 401
