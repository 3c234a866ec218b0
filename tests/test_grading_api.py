"""Grading through the API of CONTRACT.md: scores, the final grade, the announcement, the result."""

from datetime import timedelta

import pytest
from django.core import mail

from attestation.audit.models import AuditEntry
from attestation.grading.models import Score
from tests.test_grading_world import admit, make_oral, second_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, api_for):
    def make(persona, method, path, body=None):
        kwargs = api_for(persona)
        if method == "get":
            return client.get(path, **kwargs)
        return client.post(path, body or {}, content_type="application/json", **kwargs)

    return make


@pytest.fixture
def oral(world):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    world.member2 = second_member(world)
    return world


def scores_url(examinee):
    return f"/api/v1/examinees/{examinee.pk}/scores"


def test_a_member_scores_201_then_200(call, oral):
    url = scores_url(oral.examinee)
    first = call("member", "post", url, {"score": 85, "comment": "толық жауап"})
    assert first.status_code == 201, first.content
    assert first.json()["score"] == 85 and first.json()["comment"] == "толық жауап"
    again = call("member", "post", url, {"score": 88})
    assert again.status_code == 200 and again.json()["score"] == 88
    assert Score.objects.get(examinee=oral.examinee).score == 88


@pytest.mark.parametrize("bad", [-1, 101, "abc", "85", 85.5, None, True])
def test_bad_scores_are_4xx_with_a_message(call, oral, bad):
    response = call("member", "post", scores_url(oral.examinee), {"score": bad})
    assert 400 <= response.status_code < 500
    assert response.status_code == 422
    assert response.json()["detail"]
    assert response.json()["code"] == "invalid"
    assert not Score.objects.exists()


def test_missing_score_is_422(call, oral):
    response = call("member", "post", scores_url(oral.examinee), {"comment": "?"})
    assert response.status_code == 422 and "score" in response.json()["detail"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member", 201),
        ("chair", 201),
        ("secretary", 404),
        ("student", 404),
        ("other_student", 404),
        ("registrar", 404),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_who_may_score(call, oral, persona, status):
    response = call(persona, "post", scores_url(oral.examinee), {"score": 70})
    assert response.status_code == status


def test_a_member_is_blind_until_entering_their_own_score(call, oral, client):
    call("member", "post", scores_url(oral.examinee), {"score": 60})
    from attestation.accounts.services import api_token_issue

    member2 = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=oral.member2)}"}
    before = client.get(scores_url(oral.examinee), **member2).json()
    assert before["visible"] is False and before["scores"] == [] and before["mean"] is None
    assert before["own"] is None
    created = client.post(
        scores_url(oral.examinee), {"score": 90}, content_type="application/json", **member2
    )
    assert created.status_code == 201
    after = client.get(scores_url(oral.examinee), **member2).json()
    assert after["visible"] is True
    assert sorted(s["score"] for s in after["scores"]) == [60, 90]
    assert after["spread"] == 30 and after["disagreement"] is True and after["mean"] == 75


def test_the_chair_sees_every_score_and_the_disagreement(call, oral):
    call("member", "post", scores_url(oral.examinee), {"score": 60})
    seen = call("chair", "get", scores_url(oral.examinee)).json()
    assert seen["visible"] is True and [s["score"] for s in seen["scores"]] == [60]
    assert seen["disagreement"] is False


def test_the_spread_threshold_comes_from_settings(call, oral, settings, client):
    settings.GRADE_SPREAD_THRESHOLD = 40
    call("member", "post", scores_url(oral.examinee), {"score": 60})
    call("chair", "post", scores_url(oral.examinee), {"score": 90})
    seen = call("chair", "get", scores_url(oral.examinee)).json()
    assert seen["spread"] == 30 and seen["disagreement"] is False


def test_a_member_cannot_set_the_final_grade(call, oral):
    url = f"/api/v1/examinees/{oral.examinee.pk}/final"
    for persona in ("member", "secretary", "student", "outsider"):
        assert call(persona, "post", url, {"score": 80}).status_code == 404, persona
    response = call("chair", "post", url, {"score": 80})
    assert response.status_code == 200, response.content
    assert response.json() | {"final_set_at": None} == {
        "score": 80,
        "letter": "B",
        "points": 3.0,
        "word": response.json()["word"],
        "examinee_id": oral.examinee.pk,
        "final_set_at": None,
        "announced": False,
    }


def test_bad_final_score_is_422(call, oral):
    url = f"/api/v1/examinees/{oral.examinee.pk}/final"
    assert call("chair", "post", url, {"score": 150}).status_code == 422
    assert call("chair", "post", url, {"score": "high"}).status_code == 422


def test_announce_is_409_until_every_final_is_set_and_names_who_is_missing(call, oral):
    call("chair", "post", f"/api/v1/examinees/{oral.examinee.pk}/final", {"score": 91})
    url = f"/api/v1/sittings/{oral.sitting.pk}/announce"
    assert call("member", "post", url).status_code == 404
    assert call("secretary", "post", url).status_code == 404
    response = call("chair", "post", url)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "finals_missing" and "Үмбетова Ұлжан" in body["detail"]
    assert body["missing"] == [
        {"examinee_id": oral.other_examinee.pk, "position": 2, "full_name": "Үмбетова Ұлжан"}
    ]


def announce_all(call, world, scores=(91, 58), capture=None):
    for examinee, score in zip((world.examinee, world.other_examinee), scores, strict=True):
        call("chair", "post", f"/api/v1/examinees/{examinee.pk}/final", {"score": score})
    with capture(execute=True):
        response = call("chair", "post", f"/api/v1/sittings/{world.sitting.pk}/announce")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_result_is_404_before_the_announcement_and_shown_after(
    call, oral, django_capture_on_commit_callbacks
):
    url = f"/api/v1/examinees/{oral.examinee.pk}/result"
    call("chair", "post", f"/api/v1/examinees/{oral.examinee.pk}/final", {"score": 91})
    before = call("student", "get", url)
    assert before.status_code == 404 and before.json()["code"] == "not_announced"
    body = announce_all(call, oral, capture=django_capture_on_commit_callbacks)
    assert body["status"] == "announced" and body["announced_at"]
    after = call("student", "get", url)
    assert after.status_code == 200
    result = after.json()
    assert (result["score"], result["letter"], result["points"]) == (91, "A-", 3.67)
    assert result["word"]
    for persona in ("other_student", "member", "chair", "outsider"):
        assert call(persona, "get", url).status_code == 404, persona


def test_announcement_mails_each_student_in_their_language(
    call, oral, django_capture_on_commit_callbacks
):
    student = oral.examinee.student.user
    student.language = "ru"
    student.save()
    other = oral.other_examinee.student.user
    other.language = "en"
    other.save()
    announce_all(call, oral, scores=(91, 58), capture=django_capture_on_commit_callbacks)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {student.email, other.email}
    assert "58 — D+ (1.33, satisfactory)" in by_to[other.email].body
    assert "Results of the final attestation" in by_to[other.email].subject
    assert "91 — A- (3,67, " in by_to[student.email].body  # rendered in Russian formats
    assert "Results of the final attestation" not in by_to[student.email].subject


def test_after_announcement_a_change_needs_a_reason_and_tells_the_student(
    call, oral, django_capture_on_commit_callbacks
):
    announce_all(call, oral, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    url = f"/api/v1/examinees/{oral.other_examinee.pk}/final"
    refused = call("chair", "post", url, {"score": 61})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        changed = call("chair", "post", url, {"score": 61, "reason": "апелляция қабылданды"})
    assert changed.status_code == 200 and changed.json()["letter"] == "C-"
    assert changed.json()["announced"] is True
    assert [m.to for m in mail.outbox] == [[oral.other_examinee.student.user.email]]
    assert "61" in mail.outbox[0].body and "58" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="grade.change")
    assert (entry.from_state, entry.to_state, entry.reason) == ("58", "61", "апелляция қабылданды")
    result = call("other_student", "get", f"/api/v1/examinees/{oral.other_examinee.pk}/result")
    assert result.json()["score"] == 61
    late = call("member", "post", scores_url(oral.examinee), {"score": 10})
    assert late.status_code == 409 and late.json()["code"] == "announced"


def test_scoring_a_not_yet_gradable_examinee_is_409(call, world):
    # Written exam, the answer not submitted.
    response = call("member", "post", scores_url(world.examinee), {"score": 50})
    assert response.status_code == 409 and response.json()["code"] == "not_scorable"


def test_announcement_time_by_chair_or_secretary(call, oral):
    url = f"/api/v1/sittings/{oral.sitting.pk}/announcement"
    when = (oral.sitting.starts_at + timedelta(hours=4)).isoformat()
    for persona in ("member", "student", "outsider", "registrar"):
        assert call(persona, "post", url, {"announce_at": when}).status_code == 404, persona
    response = call("secretary", "post", url, {"announce_at": when})
    assert response.status_code == 200, response.content
    oral.sitting.refresh_from_db()
    assert oral.sitting.announce_at.isoformat() == when
    bad = call("chair", "post", url, {"announce_at": "tomorrow"})
    assert bad.status_code == 422
