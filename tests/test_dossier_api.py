"""`GET|POST /api/v1/examinees/{id}/dossier` (CONTRACT.md "The defence dossier and the
graduate") and `POST /admit` at a defence: 409 `dossier_incomplete` with what is missing."""

import pytest

from attestation.accounts.models import DepartmentProgramme
from attestation.audit.models import AuditEntry
from attestation.defense.models import Dossier
from tests.dossier_world import (
    defence,
    dossier_complete,
    foreign_programme_examinee,
    identified,
    other_commission_defence,
    pdf_bytes,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(examinee) -> str:
    return f"/api/v1/examinees/{examinee.pk}/dossier"


def test_the_department_enters_the_dossier_by_multipart_and_reads_what_is_missing(
    world, client, api_for
):
    defence(world)
    answer = client.post(
        url(world.examinee),
        {
            "review": pdf_upload(pdf_bytes(2), "review.pdf"),
            "reviewer_grade": "91",
            "originality_system": "antiplagiat",
            "similarity": "22.5",
            "title_ru": "Тема",
        },
        **api_for("department"),
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["complete"] is False
    assert "review" not in body["missing"] and "supervisor_feedback" in body["missing"]
    assert (body["reviewer_grade"], body["reviewer_letter"]) == (91, "A-")
    assert (body["similarity"], body["files"]["review"]) == (22.5, True)
    assert body["missing_labels"][0] == "диплом жұмысы (жобасы) (PDF)"  # Kazakh by default
    read = client.get(url(world.examinee), **api_for("student"))
    assert read.status_code == 200 and read.json()["missing"] == body["missing"]


def test_a_complete_dossier_reads_complete_for_the_commission(world, client, api_for):
    defence(world)
    dossier_complete(world.examinee)
    for persona in ("member", "chair", "secretary", "department", "student"):
        answer = client.get(url(world.examinee), **api_for(persona))
        assert answer.status_code == 200, persona
        assert answer.json()["complete"] is True and answer.json()["missing"] == []


def test_outside_the_scope_is_404(world, client, api_for):
    defence(world)
    foreign = foreign_programme_examinee(world)
    for persona in ("outsider", "registrar", "other_student"):
        assert client.get(url(world.examinee), **api_for(persona)).status_code == 404, persona
    # The department keeps one programme: another programme's student is not theirs.
    assert client.get(url(foreign), **api_for("department")).status_code == 404
    refused = client.post(url(foreign), {"reviewer_grade": "80"}, **api_for("department"))
    assert refused.status_code == 404 and not Dossier.objects.exists()
    # …but their own programme's student in another commission is.
    elsewhere = other_commission_defence(world)
    assert client.get(url(elsewhere), **api_for("department")).status_code == 200
    assert client.get(url(elsewhere), **api_for("secretary")).status_code == 404


def test_a_second_programme_widens_the_department(world, client, api_for):
    defence(world)
    foreign = foreign_programme_examinee(world)
    DepartmentProgramme.objects.create(user=world.user("department"), programme="6B04101 Экономика")
    assert client.get(url(foreign), **api_for("department")).status_code == 200


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"reviewer_grade": "101"}, "invalid"),
        ({"similarity": "-1"}, "invalid"),
        ({"similarity_1": "1e309"}, "invalid"),
        ({"originality_system": "unknown"}, "invalid"),
        ({"review": pdf_upload(b"<html>not a pdf</html>", "review.pdf")}, "not_pdf"),
    ],
)
def test_bad_input_is_a_translated_422_and_nothing_stored(world, client, api_for, data, code):
    defence(world)
    answer = client.post(
        url(world.examinee),
        {"title_en": "Should not stay", **data},
        HTTP_ACCEPT_LANGUAGE="ru",
        **api_for("secretary"),
    )
    assert answer.status_code == 422 and answer.json()["code"] == code
    assert any(c in answer.json()["detail"] for c in "абвгдежзийклмнопрстуфхцчшщыэюя")
    assert not Dossier.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="dossier.").exists()


def test_json_values_without_files_are_taken_too(world, client, api_for):
    defence(world)
    answer = client.post(
        url(world.examinee),
        {"reviewer_grade": 75, "similarity_1": 12.5, "originality_system": "strikeplagiarism"},
        content_type="application/json",
        **api_for("secretary"),
    )
    assert answer.status_code == 200 and answer.json()["similarity_1"] == 12.5
    for bad in ({"reviewer_grade": True}, {"reviewer_grade": [1]}, {"reviewer_grade": 1e308}):
        refused = client.post(
            url(world.examinee), bad, content_type="application/json", **api_for("secretary")
        )
        assert refused.status_code == 422, bad


def test_unknown_json_fields_are_ignored_whatever_they_hold(world, client, api_for):
    # As everywhere in the API: a field the dossier does not have changes nothing and refuses
    # nothing, even a list or an object (the fuzzer sent one and got a 422 for a valid body).
    defence(world)
    answer = client.post(
        url(world.examinee),
        {"note": {"a": [1, None, "c\u0016"]}, "": [True], "reviewer_grade": 81},
        content_type="application/json",
        **api_for("secretary"),
    )
    assert answer.status_code == 200 and answer.json()["reviewer_grade"] == 81


def test_readers_who_may_not_enter_it_get_403(world, client, api_for):
    defence(world)
    for persona in ("member", "chair", "student"):
        answer = client.post(url(world.examinee), {"reviewer": "X"}, **api_for(persona))
        assert answer.status_code == 403, persona
    assert not Dossier.objects.exists()


def test_a_written_exam_has_no_dossier(world, client, api_for):
    answer = client.get(url(world.examinee), **api_for("secretary"))
    assert answer.status_code == 409 and answer.json()["code"] == "not_a_defense"


def test_admit_at_a_defence_is_409_dossier_incomplete_naming_what_is_missing(
    world, client, api_for
):
    defence(world)
    identified(world, world.examinee)
    admit = f"/api/v1/examinees/{world.examinee.pk}/admit"
    refused = client.post(admit, HTTP_ACCEPT_LANGUAGE="en", **api_for("secretary"))
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "dossier_incomplete"
    assert "originality_report" in body["missing"]
    assert "the originality check report (PDF)" in body["detail"]
    dossier_complete(world.examinee, similarity_2=9)  # above the 5% threshold
    again = client.post(admit, HTTP_ACCEPT_LANGUAGE="en", **api_for("secretary"))
    assert again.status_code == 409 and again.json()["missing"] == ["department_decision"]
    client.post(url(world.examinee), {"department_decision": "admitted"}, **api_for("department"))
    ok = client.post(admit, **api_for("secretary"))
    assert ok.status_code == 200 and ok.json()["admitted"] is True


def test_me_names_the_department_role(world, client, api_for):
    roles = client.get("/api/v1/me", **api_for("department")).json()["roles"]
    assert roles == ["department"]


def test_the_registrar_gives_a_person_the_department_role_in_the_admin(world, client_for):
    client = client_for(world.user("registrar"))
    person = world.user("outsider")
    answer = client.post(
        "/en/admin/accounts/departmentprogramme/add/",
        {"user": person.pk, "programme": "6B04101 Экономика"},
    )
    assert answer.status_code == 302
    from attestation.commissions.access import roles_of

    person = type(person).objects.get(pk=person.pk)
    assert "department" in roles_of(person)
