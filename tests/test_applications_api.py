"""The applications API (CONTRACT.md): filing with evidence, who sees what, who decides."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from attestation.applications.models import Application
from attestation.commissions.models import Examinee
from tests.applications_world import absent, announced, appeal_commission, certificate_photo
from tests.applications_world import next_sitting as make_next_sitting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def bearer(user) -> dict:
    from attestation.accounts.services import api_token_issue

    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}


def file_absence(client, api_for, world, files=None, persona="student", examinee=None):
    data = {
        "examinee_id": (examinee or world.examinee).pk,
        "kind": "absence",
        "reason": "illness",
        "text": "Ауырдым",
    }
    if files is not None:
        data["files"] = files
        return client.post(URL, data, **api_for(persona))
    return client.post(URL, data, content_type="application/json", **api_for(persona))


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_student_files_with_evidence_and_reads_it_back(world, client, api_for):
    absent(world)
    pdf = SimpleUploadedFile("справка.pdf", pdf_bytes(), content_type="application/pdf")
    response = file_absence(client, api_for, world, files=[certificate_photo(), pdf])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    application = Application.objects.get(pk=body["id"])
    assert sorted(e.file.name.rsplit(".", 1)[1] for e in application.evidence.all()) == [
        "jpg",
        "pdf",
    ]
    got = client.get(f"{URL}/{body['id']}", **api_for("student"))
    assert got.status_code == 200
    assert got.json()["kind"] == "absence" and got.json()["decision_reason"] is None


@pytest.mark.parametrize(
    "name,content",
    [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("fake.pdf", b"%PDF-1.4 this is not a pdf"),
        ("page.jpg", b"\xff\xd8\xff\xe0 truncated"),
        ("empty.png", b""),
    ],
)
def test_bad_evidence_files_are_refused(world, client, api_for, name, content):
    absent(world)
    bad = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = file_absence(client, api_for, world, files=[bad])
    assert 400 <= response.status_code < 500
    assert response.json()["code"] in {
        "unsupported_file",
        "broken_pdf",
        "broken_image",
        "empty_file",
    }
    assert not Application.objects.exists()


def test_evidence_size_limit(world, client, api_for, settings):
    settings.APPLICATION_EVIDENCE_MAX_BYTES = 1000
    absent(world)
    response = file_absence(client, api_for, world, files=[certificate_photo()])
    assert response.status_code == 413


def test_someone_elses_examinee_is_404(world, client, api_for):
    response = file_absence(client, api_for, world, persona="other_student")
    assert response.status_code == 404


def test_a_student_never_sees_anothers_application(world, client, api_for):
    absent(world)
    pk = file_absence(client, api_for, world).json()["id"]
    for persona in ("other_student", "secretary", "member", "outsider", "registrar"):
        assert client.get(f"{URL}/{pk}", **api_for(persona)).status_code == 404, persona
    assert client.get(f"{URL}/{pk}", **api_for("chair")).status_code == 200


def test_invalid_reason_is_422(world, client, api_for):
    response = client.post(
        URL,
        {"examinee_id": world.examinee.pk, "kind": "absence", "reason": "grade", "text": "x"},
        content_type="application/json",
        **api_for("student"),
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid_reason"


def test_chair_approves_into_the_given_sitting_and_deciding_twice_is_409(world, client, api_for):
    absent(world)
    make_next_sitting(world, days=3)
    chosen = make_next_sitting(world, days=9)
    pk = file_absence(client, api_for, world).json()["id"]
    decision = {"approve": True, "reason": "Анықтама бар", "new_sitting_id": chosen.pk}
    url = f"{URL}/{pk}/decision"
    assert (
        client.post(url, decision, content_type="application/json", **api_for("member")).status_code
        == 404
    )
    response = client.post(url, decision, content_type="application/json", **api_for("chair"))
    assert response.status_code == 200, response.content
    assert response.json()["new_sitting_id"] == chosen.pk
    assert Examinee.objects.filter(sitting=chosen, student=world.examinee.student).exists()
    again = client.post(url, decision, content_type="application/json", **api_for("chair"))
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    seen = client.get(f"{URL}/{pk}", **api_for("student")).json()
    assert seen["status"] == "approved" and seen["decision_reason"] == "Анықтама бар"


def appeal(client, api_for, world):
    return client.post(
        URL,
        {
            "examinee_id": world.examinee.pk,
            "kind": "appeal",
            "reason": "grade",
            "text": "Келіспеймін",
        },
        content_type="application/json",
        **api_for("student"),
    )


def test_appeal_before_announcement_is_409(world, client, api_for):
    response = appeal(client, api_for, world)
    assert response.status_code == 409 and response.json()["code"] == "not_announced"


def test_examiners_are_excluded_from_their_own_examinees_appeal(world, client, api_for):
    announced(world, score=55)
    commission = appeal_commission(world)
    pk = appeal(client, api_for, world).json()["id"]
    url = f"{URL}/{pk}/decision"
    body = {"approve": True, "reason": "Қайта қаралды", "new_score": 70}
    # `member_p` sits on the appeal commission but examined this student: 404 (not theirs).
    for persona in ("member", "chair", "secretary", "outsider", "student"):
        response = client.post(url, body, content_type="application/json", **api_for(persona))
        assert response.status_code == 404, persona
        assert client.get(f"{URL}/{pk}", **api_for(persona)).status_code == (
            200 if persona == "student" else 404
        )
    appeal_chair = commission.memberships.get(role="chair").user
    response = client.post(url, body, content_type="application/json", **bearer(appeal_chair))
    assert response.status_code == 200, response.content
    assert response.json()["new_score"] == 70 and response.json()["old_score"] == 55
    again = client.post(url, body, content_type="application/json", **bearer(appeal_chair))
    assert again.status_code == 409
    result = client.get(f"/api/v1/examinees/{world.examinee.pk}/result", **api_for("student"))
    assert result.json()["score"] == 70


def test_a_scorer_on_the_appeal_commission_is_excluded(world, client, api_for):
    from attestation.commissions.models import Membership
    from attestation.grading.models import Score

    announced(world)
    commission = appeal_commission(world)
    scorer = UserFactory(username="scorer_p")
    Membership.objects.create(commission=commission, user=scorer, role=Membership.Role.MEMBER)
    Score.objects.create(examinee=world.examinee, member=scorer, score=50)
    pk = appeal(client, api_for, world).json()["id"]
    assert client.get(f"{URL}/{pk}", **bearer(scorer)).status_code == 404
    colleague = commission.memberships.get(user__username="appeal_m").user
    assert client.get(f"{URL}/{pk}", **bearer(colleague)).status_code == 200
