"""The commission's decision through the API of CONTRACT.md (SPEC K-1 … K-4): the sitting
with its quorum, attendance, recusal, dissent, and final / announce refused without quorum."""

import pytest

from attestation.api.urls import api as ninja_api
from attestation.audit.models import AuditEntry
from attestation.commissions.models import Attendance, Dissent, Membership, Recusal
from attestation.grading.models import Score
from tests.factories import MembershipFactory, UserFactory
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, api_for):
    def make(persona, method, path, body=None):
        kwargs = api_for(persona) | {"HTTP_ACCEPT_LANGUAGE": "en"}
        if method == "get":
            return client.get(path, **kwargs)
        return client.post(path, body or {}, content_type="application/json", **kwargs)

    return make


@pytest.fixture
def oral(world):
    make_oral(world)
    admit(world, world.examinee, draw=False)
    admit(world, world.other_examinee, draw=False)
    return world


def attendance(call, world, user, present):
    return call(
        "secretary",
        "post",
        f"/api/v1/sittings/{world.sitting.pk}/attendance",
        {"user_id": user.pk, "present": present},
    )


def test_the_sitting_answers_its_quorum_in_the_contract_shape(call, world):
    for persona in ("chair", "member", "secretary", "deputy", "registrar"):
        response = call(persona, "get", f"/api/v1/sittings/{world.sitting.pk}")
        assert response.status_code == 200, persona
        body = response.json()
        assert {"id", "kind", "starts_at", "status", "quorum"} <= set(body)
        assert body["id"] == world.sitting.pk and body["kind"] == "written_exam"
        assert body["quorum"] == {"present": 3, "required": 2, "met": True, "members": 3}
        assert {a["role"] for a in body["attendance"]} == {"chair", "deputy", "member"}
    for persona in ("outsider", "student"):
        assert call(persona, "get", f"/api/v1/sittings/{world.sitting.pk}").status_code == 404
    assert call("anonymous", "get", f"/api/v1/sittings/{world.sitting.pk}").status_code == 401


def test_the_secretary_marks_attendance_and_gets_the_quorum(call, world):
    response = attendance(call, world, world.user("member"), False)
    assert response.status_code == 200
    assert response.json()["quorum"] == {"present": 2, "required": 2, "met": True, "members": 3}
    response = attendance(call, world, world.user("deputy"), False)
    assert response.json()["quorum"]["met"] is False
    assert not Attendance.objects.get(sitting=world.sitting, user=world.user("deputy")).present


def test_attendance_of_a_user_outside_the_commission_is_422_and_stores_nothing(call, world):
    before = list(Attendance.objects.values_list("user_id", "present"))
    for user in (world.user("outsider"), world.user("secretary"), world.user("registrar")):
        response = attendance(call, world, user, True)
        assert response.status_code == 422
        assert response.json()["code"] == "not_in_commission"
        assert response.json()["detail"] == "This person is not a member of the commission."
    response = call(
        "secretary",
        "post",
        f"/api/v1/sittings/{world.sitting.pk}/attendance",
        {"user_id": 99999999, "present": True},
    )
    assert response.status_code == 422
    assert list(Attendance.objects.values_list("user_id", "present")) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"user_id": "abc", "present": True},
        {"user_id": 1, "present": "yes"},
        {"user_id": 1},
        {"user_id": True, "present": True},
    ],
)
def test_a_bad_attendance_body_is_422(call, world, body):
    response = call("secretary", "post", f"/api/v1/sittings/{world.sitting.pk}/attendance", body)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_only_the_secretary_marks_attendance(call, world):
    for persona in ("chair", "member", "deputy", "registrar", "outsider", "student"):
        response = call(
            persona,
            "post",
            f"/api/v1/sittings/{world.sitting.pk}/attendance",
            {"user_id": world.user("member").pk, "present": False},
        )
        assert response.status_code == 404, persona


def test_a_commission_of_seven_refuses_finals_with_four_present_and_accepts_with_five(call, oral):
    extra = []
    for i in range(4):
        user = UserFactory(username=f"api_seventh_{i}")
        MembershipFactory(commission=oral.commission, user=user, role=Membership.Role.MEMBER)
        extra.append(user)
    attendance(call, oral, extra[0], True)
    response = attendance(call, oral, extra[1], False)
    assert response.json()["quorum"] == {"present": 4, "required": 5, "met": False, "members": 7}
    final = f"/api/v1/examinees/{oral.examinee.pk}/final"
    response = call("chair", "post", final, {"score": 80})
    assert response.status_code == 409
    assert response.json()["code"] == "no_quorum"
    assert "present 4 of 7, quorum 5 (two thirds)" in response.json()["detail"]
    assert "1 more member must be present" in response.json()["detail"]
    announce = f"/api/v1/sittings/{oral.sitting.pk}/announce"
    assert call("chair", "post", announce).json()["code"] == "no_quorum"
    oral.examinee.refresh_from_db()
    assert oral.examinee.final_score is None

    assert attendance(call, oral, extra[1], True).json()["quorum"]["met"] is True
    assert call("chair", "post", final, {"score": 80}).status_code == 200
    other = f"/api/v1/examinees/{oral.other_examinee.pk}/final"
    assert call("chair", "post", other, {"score": 64}).status_code == 200
    assert call("chair", "post", announce).status_code == 200


def test_the_deputy_may_set_finals_and_announce_when_the_chair_is_absent(call, oral):
    final = f"/api/v1/examinees/{oral.examinee.pk}/final"
    response = call("deputy", "post", final, {"score": 75})
    assert response.status_code == 409 and response.json()["code"] == "chair_present"
    attendance(call, oral, oral.user("chair"), False)
    assert call("deputy", "post", final, {"score": 75}).status_code == 200
    other = f"/api/v1/examinees/{oral.other_examinee.pk}/final"
    assert call("deputy", "post", other, {"score": 66}).status_code == 200
    response = call("deputy", "post", f"/api/v1/sittings/{oral.sitting.pk}/announce")
    assert response.status_code == 200 and response.json()["status"] == "announced"
    assert AuditEntry.objects.get(action="sitting.announce").data["acting"] == "deputy"
    # The absent chair's own score is refused at this sitting.
    response = call("chair", "post", f"/api/v1/examinees/{oral.examinee.pk}/scores", {"score": 1})
    assert response.status_code == 409


def test_a_recusal_is_201_then_that_persons_scores_are_409_recused(call, oral):
    scores = f"/api/v1/examinees/{oral.examinee.pk}/scores"
    assert call("member", "post", scores, {"score": 58}).status_code == 201
    response = call(
        "member",
        "post",
        f"/api/v1/examinees/{oral.examinee.pk}/recusal",
        {"reason": "I supervised this thesis"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (
        body["user_id"] == oral.user("member").pk and body["reason"] == "I supervised this thesis"
    )
    assert body["quorum"] == {"present": 2, "required": 2, "met": True, "members": 2}
    assert not Score.objects.filter(examinee=oral.examinee, member=oral.user("member")).exists()
    response = call("member", "post", scores, {"score": 60})
    assert response.status_code == 409 and response.json()["code"] == "recused"
    again = call(
        "member", "post", f"/api/v1/examinees/{oral.examinee.pk}/recusal", {"reason": "again"}
    )
    assert again.status_code == 200 and Recusal.objects.count() == 1
    # The chair sees it on the examinee's page.
    from django.test import Client

    page = Client()
    page.force_login(oral.user("chair"))
    html = page.get(f"/en/grading/examinees/{oral.examinee.pk}/").content.decode()
    assert 'data-recused="member_p"' in html and "again" in html
    console = page.get(f"/en/grading/sittings/{oral.sitting.pk}/").content.decode()
    assert "1 conflict of interest" in console


def test_the_chair_may_recuse_the_secretary_may_not(call, oral):
    url = f"/api/v1/examinees/{oral.examinee.pk}/recusal"
    assert call("chair", "post", url, {"reason": "relative"}).status_code == 201
    assert call("secretary", "post", url, {"reason": "x"}).status_code == 404
    assert call("member", "post", url, {"reason": ""}).status_code == 422


def test_a_dissent_is_201_with_its_id_and_the_chair_sees_it(call, oral, client):
    url = f"/api/v1/examinees/{oral.examinee.pk}/dissent"
    response = call("member", "post", url, {"text": "The grade is too high."})
    assert response.status_code == 201
    dissent = Dissent.objects.get(pk=response.json()["id"])
    assert dissent.member == oral.user("member")
    assert call("member", "post", url, {"text": "Too high."}).status_code == 200
    assert call("deputy", "post", url, {"text": "I agree with the member."}).status_code == 201
    assert call("chair", "post", url, {"text": "x"}).status_code == 404
    assert call("member", "post", url, {"text": ""}).status_code == 422
    client.force_login(oral.user("chair"))
    html = client.get(f"/en/grading/examinees/{oral.examinee.pk}/").content.decode()
    assert "Too high." in html and "I agree with the member." in html
    console = client.get(f"/en/grading/sittings/{oral.sitting.pk}/").content.decode()
    assert "2 dissenting opinions" in console
    # Over the API: the chair reads every dissent with the scores, a member only their own.
    scores = f"/api/v1/examinees/{oral.examinee.pk}/scores"
    chair = call("chair", "get", scores).json()["dissents"]
    assert {(d["member"], d["text"]) for d in chair} == {
        ("member_p", "Too high."),
        (oral.user("deputy").username, "I agree with the member."),
    }
    assert [d["text"] for d in call("member", "get", scores).json()["dissents"]] == ["Too high."]


def test_the_scores_name_the_conflicts_of_interest_to_the_commission(call, oral):
    url = f"/api/v1/examinees/{oral.examinee.pk}/recusal"
    assert call("member", "post", url, {"reason": "My nephew"}).status_code == 201
    scores = f"/api/v1/examinees/{oral.examinee.pk}/scores"
    for persona, recused in (("member", True), ("chair", False)):
        body = call(persona, "get", scores).json()
        assert body["recused"] is recused, persona
        assert body["recusals"] == [
            {
                "member": "member_p",
                "full_name": oral.user("member").display_name,
                "reason": "My nephew",
                "automatic": False,
            }
        ]


def test_the_schema_names_the_decision_classes_and_every_status():
    schema = ninja_api.get_openapi_schema()
    names = set(schema["components"]["schemas"])
    assert {"AttendanceIn", "AttendanceOut", "RecusalIn", "RecusalOut", "DissentIn"} <= names
    assert {"DissentOut", "SittingDetailOut", "QuorumOut"} <= names
    paths = schema["paths"]

    def statuses(path):
        return {str(s) for s in paths[path]["post"]["responses"]}

    assert statuses("/api/v1/sittings/{sitting_id}/attendance") >= {"200", "404", "409", "422"}
    assert statuses("/api/v1/examinees/{examinee_id}/recusal") >= {"200", "201", "409", "422"}
    assert statuses("/api/v1/examinees/{examinee_id}/dissent") >= {"201", "409", "422"}
    assert "409" in statuses("/api/v1/examinees/{examinee_id}/final")
