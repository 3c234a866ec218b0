"""The defence (R-19.1, R-22.2, R-25.1): thesis PDF, written questions, interruptions, and what
reaches the protocol."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.defense import services
from attestation.defense.models import Interruption, Thesis
from attestation.live.queue import timer_of
from attestation.live.services import queue_call_next
from attestation.records.sitting import protocol_context
from tests.live_helpers import defense_ready, make_form, pdf_bytes, pdf_upload, started_ago

pytestmark = pytest.mark.django_db
S = Examinee.Status


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEPARTMENT_EMAIL = "department@university.example"
    return settings.MEDIA_ROOT


def far_defence(world):
    """A defence in five days: the theses are still coming (nobody admitted yet)."""
    return make_form(world, Sitting.Form.DEFENSE, starts_at=timezone.now() + timedelta(days=5))


def test_thesis_upload_stores_pages_and_hash_and_tells_the_department(
    world, media, django_capture_on_commit_callbacks
):
    far_defence(world)
    with django_capture_on_commit_callbacks(execute=True):
        thesis = services.thesis_upload(
            examinee=world.examinee, file=pdf_upload(pdf_bytes(4)), actor=world.user("student")
        )
    assert thesis.pages == 4 and len(thesis.sha256) == 64
    assert mail.outbox[-1].to == ["department@university.example"]
    again = services.thesis_upload(
        examinee=world.examinee, file=pdf_upload(pdf_bytes(2)), actor=world.user("student")
    )
    assert again.pk == thesis.pk and Thesis.objects.get().pages == 2


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a not a pdf", "not_pdf"),
        (b"%PDF-1.4\nthis is not really a pdf", "pdf_damaged"),
        (pdf_bytes(1, password="secret"), "pdf_encrypted"),
    ],
)
def test_fake_pdfs_are_refused(world, media, data, code):
    far_defence(world)
    with pytest.raises(DomainError) as refused:
        services.thesis_upload(
            examinee=world.examinee, file=pdf_upload(data), actor=world.user("student")
        )
    assert refused.value.code == code and refused.value.status == 422
    assert not Thesis.objects.exists()


def test_too_large_is_refused(world, media, settings):
    far_defence(world)
    settings.THESIS_MAX_BYTES = 100
    with pytest.raises(DomainError) as refused:
        services.thesis_upload(
            examinee=world.examinee, file=pdf_upload(), actor=world.user("student")
        )
    assert refused.value.status == 413


def test_after_the_deadline_only_the_secretary_with_a_reason(world, media):
    defense_ready(world, starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(DomainError) as late:
        services.thesis_upload(
            examinee=world.examinee, file=pdf_upload(), actor=world.user("student")
        )
    assert late.value.code == "deadline_passed" and late.value.status == 409
    with pytest.raises(DomainError) as no_reason:
        services.thesis_upload(
            examinee=world.examinee, file=pdf_upload(), actor=world.user("secretary")
        )
    assert no_reason.value.code == "reason_required"
    thesis = services.thesis_upload(
        examinee=world.examinee,
        file=pdf_upload(),
        actor=world.user("secretary"),
        late_reason="Оқу бөлімінің рұқсаты",
    )
    assert thesis.pages == 3


def test_thesis_api(world, media, api_for, client):
    far_defence(world)
    url = f"/api/v1/examinees/{world.examinee.pk}/thesis"
    ok = client.post(url, {"file": pdf_upload()}, **api_for("student"))
    assert ok.status_code == 201 and ok.json()["pages"] == 3
    fake = client.post(url, {"file": pdf_upload(b"hello")}, **api_for("student"))
    assert fake.status_code == 422 and fake.json()["code"] == "not_pdf"
    assert client.post(url, {"file": pdf_upload()}, **api_for("other_student")).status_code == 404
    page = client.get(f"/en/defense/examinees/{world.examinee.pk}/thesis.pdf")
    assert page.status_code == 302  # anonymous: to the sign-in page
    client.force_login(world.user("member"))
    pdf = client.get(f"/en/defense/examinees/{world.examinee.pk}/thesis.pdf")
    assert pdf.status_code == 200 and pdf["Content-Disposition"].startswith("inline")
    client.force_login(world.user("outsider"))
    assert client.get(f"/en/defense/examinees/{world.examinee.pk}/thesis.pdf").status_code == 404


def test_thesis_api_after_the_deadline_is_409(world, media, api_for, client):
    defense_ready(world, starts_at=timezone.now() + timedelta(hours=3))
    url = f"/api/v1/examinees/{world.examinee.pk}/thesis"
    late = client.post(url, {"file": pdf_upload()}, **api_for("student"))
    assert late.status_code == 409 and late.json()["code"] == "deadline_passed"


def test_written_questions_and_interruptions_reach_the_protocol(world, media):
    sitting = defense_ready(world)
    secretary, student = world.user("secretary"), world.user("student")
    queue_call_next(sitting=sitting, actor=secretary)
    question = services.written_question_post(
        examinee=world.examinee, actor=secretary, text="Неге PostgreSQL?", asked_for="Жақсылықова"
    )
    services.written_question_answer(
        question=question, actor=student, answer="Сенімді болғандықтан"
    )
    with pytest.raises(DomainError):
        services.written_question_answer(question=question, actor=student, answer="again")
    interruption = services.interruption_report(examinee=world.examinee, actor=student)
    assert services.interruption_report(examinee=world.examinee, actor=student) == interruption
    services.interruption_resolve(
        interruption=interruption,
        actor=world.user("chair"),
        outcome="resumed",
        reason="Байланыс қалпына келді",
    )
    row = protocol_context(sitting, "kk")["rows"][0]
    assert any("Неге PostgreSQL?" in a and "Сенімді болғандықтан" in a for a in row["additional"])
    assert "Байланыс қалпына келді" in row["interruptions"][0]
    assert row["topic"] == "Ақпараттық жүйелердегі қауіпсіздік"


def test_an_interruption_pauses_the_timer_and_stop_terminates(world):
    sitting = defense_ready(world)
    queue_call_next(sitting=sitting, actor=world.user("secretary"))
    started_ago(world.examinee, 8)
    world.examinee.refresh_from_db()
    interruption = services.interruption_report(
        examinee=world.examinee, actor=world.user("secretary")
    )
    Interruption.objects.filter(pk=interruption.pk).update(
        started_at=timezone.now() - timedelta(minutes=2)
    )
    timer = timer_of(world.examinee)
    assert not timer.running and 5.9 * 60_000 < timer.elapsed_ms < 6.1 * 60_000
    with pytest.raises(DomainError) as blocked:
        queue_call_next(
            sitting=sitting, actor=world.user("secretary"), expected_current_id=world.examinee.pk
        )
    assert blocked.value.code == "interrupted"
    services.interruption_resolve(
        interruption=interruption,
        actor=world.user("chair"),
        outcome="stopped",
        reason="Қайта қосылмады",
    )
    world.examinee.refresh_from_db()
    assert world.examinee.status == S.TERMINATED
    timer = timer_of(world.examinee)
    assert not timer.running


def test_members_cannot_decide_interruptions_and_students_only_their_own(world, api_for, client):
    sitting = defense_ready(world)
    queue_call_next(sitting=sitting, actor=world.user("secretary"))
    url = f"/api/v1/examinees/{world.examinee.pk}/interruption"
    assert (
        client.post(
            url, {}, content_type="application/json", **api_for("other_student")
        ).status_code
        == 404
    )
    made = client.post(url, {}, content_type="application/json", **api_for("student"))
    assert made.status_code == 201
    decide = f"/api/v1/interruptions/{made.json()['id']}/decision"
    body = {"outcome": "resumed", "reason": "ok"}
    assert (
        client.post(decide, body, content_type="application/json", **api_for("member")).status_code
        == 403
    )
    assert (
        client.post(
            decide, body, content_type="application/json", **api_for("outsider")
        ).status_code
        == 404
    )
    assert (
        client.post(decide, body, content_type="application/json", **api_for("chair")).status_code
        == 200
    )
