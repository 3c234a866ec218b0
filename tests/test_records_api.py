"""The official record over the API (CONTRACT.md, K-5 … K-7, K-13): numbered protocols, signed
once and never rewritten; an appeal is a new numbered protocol naming the one it amends."""

import hashlib
import re
import subprocess

import httpx
import pytest
import respx

from attestation.audit.chain import chain_verify
from attestation.audit.models import AuditEntry
from attestation.records.models import Protocol
from tests.applications_world import announced, appeal_decided
from tests.images import multipart

pytestmark = pytest.mark.django_db


def pdftotext(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def sitting(world, settings):
    settings.UNIVERSITY_NAME = "Әл-Фараби атындағы Қазақ ұлттық университеті"
    settings.NCANODE_URL = ""
    return announced(world, score=62, other_score=85)


def protocols(client, api_for, sitting, persona="chair"):
    response = client.get(f"/api/v1/sittings/{sitting.pk}/protocols", **api_for(persona))
    assert response.status_code == 200, response.content
    return response.json()


def of_kind(rows, kind):
    return [r for r in rows if r["kind"] == kind]


def sign(client, api_for, protocol_id, persona, **extra):
    return client.post(f"/api/v1/protocols/{protocol_id}/sign", {}, **api_for(persona), **extra)


def test_protocols_are_numbered_in_sequence_and_listed_as_the_contract_says(
    sitting, world, client, api_for
):
    rows = protocols(client, api_for, sitting)
    assert sorted(r["number"] for r in rows) == [1, 2, 3]
    examinee_rows = sorted(of_kind(rows, "examinee"), key=lambda r: r["number"])
    assert [r["examinee_id"] for r in examinee_rows] == [world.examinee.pk, world.other_examinee.pk]
    assert of_kind(rows, "sitting")[0]["examinee_id"] is None
    for row in rows:
        assert set(row) == {"id", "number", "kind", "examinee_id", "status", "sha256", "signatures"}
        assert row["status"] == "draft" and row["sha256"] is None and row["signatures"] == []
    # Asking again numbers nothing new.
    assert protocols(client, api_for, sitting, "registrar") == rows


@pytest.mark.parametrize(
    ("persona", "status"),
    [("chair", 200), ("member", 200), ("secretary", 200), ("registrar", 200)]
    + [("student", 404), ("other_student", 404), ("outsider", 404), ("anonymous", 401)],
)
def test_who_may_list_the_protocols(sitting, client, api_for, persona, status):
    response = client.get(f"/api/v1/sittings/{sitting.pk}/protocols", **api_for(persona))
    assert response.status_code == status


def test_signing_freezes_the_bytes_and_a_second_signature_changes_nothing(
    sitting, world, client, api_for
):
    row = of_kind(protocols(client, api_for, sitting), "examinee")[0]
    assert sign(client, api_for, row["id"], "student").status_code == 404
    assert sign(client, api_for, row["id"], "outsider").status_code == 404
    first = sign(client, api_for, row["id"], "chair")
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["status"] == "signed" and len(body["sha256"]) == 64
    assert [(s["role"], s["ecp"]) for s in body["signatures"]] == [("chair", "none")]
    again = sign(client, api_for, row["id"], "chair")
    assert again.status_code == 200 and again.json() == body
    pdf = client.get(f"/api/v1/protocols/{row['id']}.pdf?lang=ru", **api_for("registrar"))
    assert pdf.status_code == 200
    assert hashlib.sha256(pdf.content).hexdigest() == body["sha256"]
    docx = client.get(f"/api/v1/protocols/{row['id']}.docx", **api_for("secretary"))
    assert (
        docx.content
        == client.get(f"/api/v1/protocols/{row['id']}.docx", **api_for("chair")).content
    )
    secretary = sign(client, api_for, row["id"], "secretary").json()
    assert {s["role"] for s in secretary["signatures"]} == {"chair", "secretary"}
    assert secretary["sha256"] == body["sha256"]
    # The hash is in the audit chain, and the chain holds.
    entry = AuditEntry.objects.get(action="protocol.freeze")
    assert entry.data["sha256"] == body["sha256"]
    assert chain_verify()[1] is None


def test_signed_bytes_stay_identical_after_an_appeal_and_the_appeal_protocol_refers_to_them(
    sitting, world, client, api_for
):
    row = next(
        r
        for r in of_kind(protocols(client, api_for, sitting), "examinee")
        if r["examinee_id"] == world.examinee.pk
    )
    signed = sign(client, api_for, row["id"], "chair").json()
    before = client.get(f"/api/v1/protocols/{row['id']}.pdf", **api_for("chair")).content
    appeal_decided(world, approve=True, reason="Жауап толық, баға көтерілді.", new_score=81)
    rows = protocols(client, api_for, sitting)
    after = client.get(f"/api/v1/protocols/{row['id']}.pdf", **api_for("chair")).content
    assert after == before
    assert hashlib.sha256(after).hexdigest() == signed["sha256"]
    assert "62" in flat(pdftotext(after)) and "81" not in flat(pdftotext(after))
    appeal = of_kind(rows, "appeal")[0]
    assert appeal["examinee_id"] == world.examinee.pk
    assert Protocol.objects.get(pk=appeal["id"]).amends_id == row["id"]
    # The student reads the appeal protocol; it names the examinee protocol it amends.
    student_pdf = client.get(f"/api/v1/protocols/{appeal['id']}.pdf", **api_for("student"))
    assert student_pdf.status_code == 200
    text = flat(pdftotext(student_pdf.content))
    assert flat(f"№ {row['number']}") in text and "81" in text and "62" in text
    assert flat(f"№ {appeal['number']}") in text
    # ... but not the examinee protocol of the commission.
    assert client.get(f"/api/v1/protocols/{row['id']}.pdf", **api_for("student")).status_code == 404
    # The student's result follows the latest decision.
    result = client.get(f"/api/v1/examinees/{world.examinee.pk}/result", **api_for("student"))
    assert result.json()["score"] == 81


def test_signing_before_the_announcement_is_409(world, client, api_for):
    from attestation.grading.services import final_set
    from tests.test_grading_world import admit, make_oral

    make_oral(world)
    admit(world, world.examinee, draw=False)
    final_set(examinee=world.examinee, actor=world.user("chair"), score=70)
    rows = protocols(client, api_for, world.sitting)
    response = sign(client, api_for, of_kind(rows, "examinee")[0]["id"], "chair")
    assert response.status_code == 409 and response.json()["code"] == "not_announced"
    assert Protocol.objects.filter(status="signed").count() == 0


def cms_upload(client, api_for, protocol_id, persona):
    body, ctype = multipart({"cms": ("sign.cms", "application/pkcs7-signature", b"0\x82CMS")})
    return client.generic(
        "POST",
        f"/api/v1/protocols/{protocol_id}/sign",
        body,
        content_type=ctype,
        **api_for(persona),
    )


def test_a_detached_signature_without_ncanode_is_stored_not_verified(sitting, client, api_for):
    row = of_kind(protocols(client, api_for, sitting), "sitting")[0]
    response = cms_upload(client, api_for, row["id"], "secretary")
    assert response.status_code == 200, response.content
    assert response.json()["signatures"][0]["ecp"] == "unverified"
    signature = Protocol.objects.get(pk=row["id"]).signatures.get()
    assert bytes(signature.cms) == b"0\x82CMS" and signature.sha256 == response.json()["sha256"]


@pytest.mark.parametrize(("valid", "ecp"), [(True, "valid"), (False, "invalid")])
def test_ncanode_checks_the_detached_signature(sitting, client, api_for, settings, valid, ecp):
    settings.NCANODE_URL = "http://ncanode.test:14579"
    row = of_kind(protocols(client, api_for, sitting), "sitting")[0]
    recorded = {
        "status": 200,
        "message": "",
        "valid": valid,
        "signers": [{"certificates": [{"subject": {"commonName": "СЕЙІТҚАЛИ БЕКНҰР"}}]}],
    }
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post("http://ncanode.test:14579/cms/verify").mock(
            return_value=httpx.Response(200, json=recorded)
        )
        response = cms_upload(client, api_for, row["id"], "chair")
    assert response.status_code == 200
    assert response.json()["signatures"][0]["ecp"] == ecp
    sent = route.calls[0].request
    import base64
    import json

    payload = json.loads(sent.content)
    frozen = bytes(Protocol.objects.get(pk=row["id"]).pdf)
    assert base64.b64decode(payload["data"]) == frozen
    assert base64.b64decode(payload["cms"]) == b"0\x82CMS"


def test_ncanode_down_leaves_the_signature_stored_not_verified(sitting, client, api_for, settings):
    settings.NCANODE_URL = "http://ncanode.test:14579"
    row = of_kind(protocols(client, api_for, sitting), "sitting")[0]
    with respx.mock() as mock:
        mock.post("http://ncanode.test:14579/cms/verify").mock(
            side_effect=httpx.ConnectError("down")
        )
        response = cms_upload(client, api_for, row["id"], "chair")
    assert response.status_code == 200
    assert response.json()["signatures"][0]["ecp"] == "unverified"


def test_the_chairs_correction_is_a_new_numbered_protocol_and_the_signed_one_stays(
    sitting, world, client, api_for
):
    from attestation.grading.services import final_set

    row = next(
        r
        for r in of_kind(protocols(client, api_for, sitting), "examinee")
        if r["examinee_id"] == world.examinee.pk
    )
    sign(client, api_for, row["id"], "chair")
    before = client.get(f"/api/v1/protocols/{row['id']}.pdf", **api_for("chair")).content
    final_set(
        examinee=world.examinee,
        actor=world.user("chair"),
        score=70,
        reason="Есептеу қатесі түзетілді",
    )
    rows = protocols(client, api_for, sitting)
    corrections = [r for r in of_kind(rows, "examinee") if r["examinee_id"] == world.examinee.pk]
    assert len(corrections) == 2
    correction = max(corrections, key=lambda r: r["number"])
    assert correction["number"] == max(r["number"] for r in rows)
    assert correction["status"] == "draft"
    assert Protocol.objects.get(pk=correction["id"]).amends_id == row["id"]
    text = flat(
        pdftotext(
            client.get(f"/api/v1/protocols/{correction['id']}.pdf", **api_for("chair")).content
        )
    )
    assert flat(f"№ {row['number']}") in text and flat("Есептеу қатесі түзетілді") in text
    assert "70" in text
    after = client.get(f"/api/v1/protocols/{row['id']}.pdf", **api_for("chair")).content
    assert after == before and "70" not in flat(pdftotext(after))
    # Listing again numbers nothing new.
    assert len(protocols(client, api_for, sitting)) == len(rows)


def test_sign_with_a_json_body_and_bad_requests(sitting, client, api_for):
    row = of_kind(protocols(client, api_for, sitting), "sitting")[0]
    url = f"/api/v1/protocols/{row['id']}/sign"
    response = client.post(url, {}, content_type="application/json", **api_for("member"))
    assert response.status_code == 200 and response.json()["status"] == "signed"
    body, ctype = multipart({"cms": ("empty.cms", "application/pkcs7-signature", b"")})
    empty = client.generic("POST", url, body, content_type=ctype, **api_for("chair"))
    assert empty.status_code == 422 and empty.json()["code"] == "invalid"
    assert (
        client.post("/api/v1/protocols/999999999/sign", {}, **api_for("chair")).status_code == 404
    )
    assert (
        client.get("/api/v1/protocols/99999999999999999999.pdf", **api_for("chair")).status_code
        == 404
    )
    bad = client.get(f"/api/v1/protocols/{row['id']}.pdf?lang=de", **api_for("chair"))
    assert bad.status_code == 422


def test_a_member_blind_to_some_scores_gets_no_frozen_sitting_protocol(world, client, api_for):
    """The signed sitting protocol lists every member's score: its bytes are not for a member
    who has not scored everyone in it."""
    from attestation.grading.services import final_set, score_set, sitting_announce
    from tests.test_grading_world import admit, make_oral

    make_oral(world)
    chair = world.user("chair")
    for examinee, value in ((world.examinee, 62), (world.other_examinee, 85)):
        admit(world, examinee, draw=False)
        score_set(examinee=examinee, member=chair, score=value)
        final_set(examinee=examinee, actor=chair, score=value)
    sitting_announce(sitting=world.sitting, actor=chair)
    world.sitting.refresh_from_db()
    row = of_kind(protocols(client, api_for, world.sitting), "sitting")[0]
    assert sign(client, api_for, row["id"], "chair").status_code == 200
    url = f"/api/v1/protocols/{row['id']}.pdf"
    assert client.get(url, **api_for("secretary")).status_code == 200
    assert client.get(url, **api_for("member")).status_code == 404


def test_the_appeal_page_serves_the_numbered_appeal_protocol(sitting, world, client_for):
    application = appeal_decided(world, approve=False, reason="Баға өзгеріссіз қалды.")
    response = client_for(world.user("student")).get(
        f"/kk/applications/{application.pk}/appeal-protocol.pdf?lang=ru"
    )
    assert response.status_code == 200
    protocol = Protocol.objects.get(application=application)
    assert f"{protocol.year}-{protocol.number}" in response["Content-Disposition"]
    text = flat(pdftotext(response.content))
    assert flat(f"№ {protocol.number}") in text and flat(f"№ {protocol.amends.number}") in text
