"""Extra writing time for one examinee (SPEC K-14; CONTRACT.md `POST /examinees/{id}/extra-time`):
the secretary or the chair gives it with a reason, also during the exam; the deadline, the
upload window and the student's open page move at once; every change is audited."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from attestation.audit.models import AuditEntry
from attestation.commissions.accommodations import examinee_extra_time_set
from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.tickets.services import ticket_draw
from tests import images as make
from tests.images import multipart
from tests.personas import admit

pytestmark = pytest.mark.django_db
ACTION = "examinee.extra_time"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def t0(world):
    """Exam day, the moment of the draw: time stands still from here on."""
    moment = (world.sitting.starts_at + timedelta(minutes=5)).replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        yield timezone.now()


@pytest.fixture
def drawn(world, t0):
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    return Examinee.objects.get(pk=examinee.pk)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def url(examinee) -> str:
    return f"/api/v1/examinees/{examinee.pk}/extra-time"


def give(client, api_for, examinee, persona="secretary", body=None, raw=None, lang="en"):
    headers = api_for(persona) | {"HTTP_ACCEPT_LANGUAGE": lang}
    data = raw if raw is not None else body
    return client.post(url(examinee), data, content_type="application/json", **headers)


def stored(examinee) -> tuple[int, str]:
    examinee.refresh_from_db()
    return examinee.extra_minutes, examinee.extra_reason


# --- The deadline moves ---------------------------------------------------------------------


def test_extra_time_moves_the_deadline_and_the_upload_window(world, client, api_for, drawn, t0):
    body = {"minutes": 30, "reason": "Мүмкіндігі шектеулі: дәрігер анықтамасы"}
    response = give(client, api_for, drawn, body=body)
    assert response.status_code == 200, response.content
    answer = response.json()
    writing_ends = t0 + timedelta(minutes=120 + 30)
    assert moment(answer["answer_deadline"]) == writing_ends
    assert moment(answer["upload_closes_at"]) == writing_ends + timedelta(minutes=30)
    assert (answer["extra_minutes"], answer["extra_reason"]) == (30, body["reason"])
    assert stored(drawn) == (30, body["reason"])

    # The student reads the new deadline on the ticket.
    ticket = client.get(f"/api/v1/examinees/{drawn.pk}/ticket", **api_for("student")).json()
    assert ticket["answer_deadline"] == answer["answer_deadline"]
    assert ticket["extra_minutes"] == 30

    entry = AuditEntry.objects.get(action=ACTION)
    assert (entry.actor, entry.from_state, entry.to_state) == (world.user("secretary"), "0", "30")
    assert entry.reason == body["reason"]
    assert entry.data["from_minutes"] == 0 and entry.data["to_minutes"] == 30


def test_a_later_value_replaces_the_earlier_and_zero_removes_it(world, client, api_for, drawn, t0):
    assert give(client, api_for, drawn, body={"minutes": 30, "reason": "a"}).status_code == 200
    # The chair corrects it during the exam.
    response = give(client, api_for, drawn, "chair", body={"minutes": 20, "reason": "b"})
    assert response.status_code == 200
    assert moment(response.json()["answer_deadline"]) == t0 + timedelta(minutes=140)
    assert stored(drawn) == (20, "b")
    response = give(client, api_for, drawn, body={"minutes": 0, "reason": "mistake"})
    assert response.status_code == 200
    assert response.json()["extra_minutes"] == 0
    assert stored(drawn) == (0, "")
    trail = AuditEntry.objects.filter(action=ACTION).order_by("seq")
    assert [(e.from_state, e.to_state, e.actor.username) for e in trail] == [
        ("0", "30", "secretary_p"),
        ("30", "20", "chair_p"),
        ("20", "0", "secretary_p"),
    ]
    assert trail.last().reason == "mistake"


def test_the_same_value_again_changes_nothing(client, api_for, drawn):
    body = {"minutes": 15, "reason": "same"}
    assert give(client, api_for, drawn, body=body).status_code == 200
    assert give(client, api_for, drawn, body=body).status_code == 200
    assert AuditEntry.objects.filter(action=ACTION).count() == 1


def test_before_the_draw_the_deadline_is_null_and_the_draw_includes_it(world, client, api_for, t0):
    examinee = admit(world)
    response = give(client, api_for, examinee, body={"minutes": 40, "reason": "planned"})
    assert response.status_code == 200
    assert response.json()["answer_deadline"] is None
    draw = client.post(
        f"/api/v1/examinees/{examinee.pk}/draw",
        {"position": 1},
        content_type="application/json",
        **api_for("student"),
    )
    assert draw.status_code == 201
    assert moment(draw.json()["answer_deadline"]) == t0 + timedelta(minutes=160)


def test_the_upload_window_follows_the_extra_time(world, client, api_for, drawn, t0):
    give(client, api_for, drawn, body={"minutes": 30, "reason": "a"})
    student = api_for("student")
    pages = f"/api/v1/examinees/{drawn.pk}/pages"

    def upload(seed):
        body, ctype = multipart(
            {"file": ("p.jpg", "image/jpeg", make.jpeg(make.sharp_page(900, 1200, seed=seed)))}
        )
        return client.generic("POST", pages, body, content_type=ctype, **student)

    # Without the extra time the window would have closed at 150 min.
    with time_machine.travel(t0 + timedelta(minutes=175), tick=False):
        assert upload(1).status_code == 201
    with time_machine.travel(t0 + timedelta(minutes=180, seconds=1), tick=False):
        response = upload(2)
        assert response.status_code == 409 and response.json()["code"] == "upload_closed"


def test_time_already_written_is_not_taken_back(world, client, api_for, drawn, t0):
    give(client, api_for, drawn, body={"minutes": 30, "reason": "a"})
    with time_machine.travel(t0 + timedelta(minutes=135), tick=False):
        response = give(client, api_for, drawn, body={"minutes": 10, "reason": "less"})
        assert response.status_code == 409
        assert response.json()["code"] == "deadline_passed"
        assert "at least 15 minutes" in response.json()["detail"]
        assert stored(drawn) == (30, "a")
        assert give(client, api_for, drawn, body={"minutes": 15, "reason": "ok"}).status_code == 200


# --- Refusals: nothing stored -----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        '{"minutes": -5, "reason": "x"}',
        '{"minutes": 1e309, "reason": "x"}',
        '{"minutes": 100000000000000000000000000000, "reason": "x"}',
        '{"minutes": 121, "reason": "x"}',  # more than the writing time again
        '{"minutes": 12.5, "reason": "x"}',
        '{"minutes": "30", "reason": "x"}',
        '{"minutes": true, "reason": "x"}',
        '{"minutes": 30}',
        '{"minutes": 30, "reason": ""}',
        '{"minutes": 30, "reason": "   "}',
        '{"reason": "x"}',
    ],
)
def test_bad_input_is_a_translated_422_and_nothing_is_stored(client, api_for, drawn, raw):
    response = give(client, api_for, drawn, raw=raw, lang="ru")
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert re.search("[а-яА-Я]", detail), detail  # in the caller's language
    assert stored(drawn) == (0, "")
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_the_limit_is_named_in_the_message(client, api_for, drawn):
    response = give(client, api_for, drawn, body={"minutes": 500, "reason": "x"})
    assert response.json()["code"] == "invalid_minutes"
    assert "from 0 to 120" in response.json()["detail"]


def test_refused_after_the_answer_is_submitted(client, api_for, drawn):
    Examinee.objects.filter(pk=drawn.pk).update(
        status=Examinee.Status.SUBMITTED, submitted_at=timezone.now()
    )
    response = give(client, api_for, drawn, body={"minutes": 10, "reason": "late"})
    assert response.status_code == 409 and response.json()["code"] == "answer_closed"
    assert stored(drawn) == (0, "")
    assert not AuditEntry.objects.filter(action=ACTION).exists()


def test_refused_after_the_announcement(world, client, api_for, drawn):
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=timezone.now())
    response = give(client, api_for, drawn, body={"minutes": 10, "reason": "late"})
    assert response.status_code == 409 and response.json()["code"] == "announced"
    assert stored(drawn) == (0, "")


def test_an_oral_exam_has_no_writing_time_to_extend(world, drawn):
    Sitting.objects.filter(pk=world.sitting.pk).update(form=Sitting.Form.ORAL_EXAM)
    examinee = Examinee.objects.select_related("sitting").get(pk=drawn.pk)
    with pytest.raises(DomainError) as refused:
        examinee_extra_time_set(
            examinee=examinee, minutes=10, reason="x", actor=world.user("chair")
        )
    assert refused.value.code == "no_writing_time"


@pytest.mark.parametrize(
    "persona,status",
    [
        ("secretary", 200),
        ("chair", 200),
        ("member", 404),
        ("deputy", 404),
        ("registrar", 404),
        ("outsider", 404),
        ("student", 404),
        ("other_student", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_secretary_and_the_chair_give_extra_time(client, api_for, drawn, persona, status):
    response = give(client, api_for, drawn, persona, body={"minutes": 10, "reason": "x"})
    assert response.status_code == status
    assert stored(drawn)[0] == (10 if status == 200 else 0)


def test_an_examinee_of_another_commission_is_404(world, client, api_for):
    response = give(client, api_for, world.foreign_examinee, body={"minutes": 10, "reason": "x"})
    assert response.status_code == 404


# --- The student's pages ------------------------------------------------------------------------


def _key(html: str) -> str:
    return html.split('data-key="', 1)[1].split('"', 1)[0]


def test_the_open_ticket_page_is_told_and_gets_the_new_deadline(
    world, client, client_for, api_for, drawn, t0
):
    student = client_for(world.user("student"))
    ticket = student.get(f"/en/exam/{drawn.pk}/ticket/").content.decode()
    seen = _key(ticket)
    examinee_extra_time_set(
        examinee=drawn, minutes=25, reason="medical", actor=world.user("secretary")
    )
    ends = timezone.localtime(t0 + timedelta(minutes=145)).strftime("%H:%M")
    state = student.get(f"/en/exam/{drawn.pk}/state/", {"seen": seen}).content.decode()
    assert 'data-changed="1"' in state  # the page redraws its countdown
    assert (
        f"The commission has given you 25 minutes of extra time: you write until {ends}." in state
    )
    assert 'data-extra-time="25"' in state
    assert "medical" not in state  # the reason stays with the commission
    # What the redraw fetches: the countdown's new end.
    ticket = student.get(f"/en/exam/{drawn.pk}/ticket/").content.decode()
    deadline = timezone.localtime(t0 + timedelta(minutes=145)).isoformat()
    assert f'data-writing-ends="{deadline}"' in ticket
    # Polled again with the new key: said once, the extra time stays in view.
    again = student.get(f"/en/exam/{drawn.pk}/state/", {"seen": _key(state)}).content.decode()
    assert "The commission has given you" not in again and 'data-extra-time="25"' in again


def test_the_exam_room_shows_the_extra_time_in_kazakh_and_russian(world, client_for, t0):
    examinee = admit(world)
    examinee_extra_time_set(examinee=examinee, minutes=20, reason="x", actor=world.user("chair"))
    student = client_for(world.user("student"))
    kk = student.get(f"/kk/exam/{examinee.pk}/").content.decode()
    assert "Қосымша уақыт: 20 минут, жазбаша жауап уақытына қосылады." in kk
    ru = student.get(f"/ru/exam/{examinee.pk}/").content.decode()
    assert "Дополнительное время: 20 мин., добавляется ко времени письменного ответа." in ru


def test_removed_extra_time_is_said(world, client_for, drawn, t0):
    examinee_extra_time_set(examinee=drawn, minutes=20, reason="x", actor=world.user("chair"))
    student = client_for(world.user("student"))
    seen = _key(student.get(f"/kk/exam/{drawn.pk}/state/").content.decode())
    examinee_extra_time_set(examinee=drawn, minutes=0, reason="y", actor=world.user("chair"))
    state = student.get(f"/kk/exam/{drawn.pk}/state/", {"seen": seen}).content.decode()
    assert "Қосымша уақытыңыз алынып тасталды" in state
    assert "data-extra-time=" not in state


# --- The commission's page ----------------------------------------------------------------------


def test_secretary_gives_extra_time_on_the_examinee_page(world, client_for, drawn, t0):
    secretary = client_for(world.user("secretary"))
    page = secretary.get(f"/en/staff/examinees/{drawn.pk}/").content.decode()
    assert "data-extra-time-form" in page and 'max="120"' in page
    response = secretary.post(
        f"/en/staff/examinees/{drawn.pk}/extra-time/",
        {"minutes": "30", "reason": "Дәрігер анықтамасы"},
        follow=True,
    )
    html = response.content.decode()
    assert "Extra time is set: 30 min." in html
    ends = timezone.localtime(t0 + timedelta(minutes=150)).strftime("%H:%M")
    assert f"30 min · Дәрігер анықтамасы · writing until {ends}" in html
    assert stored(drawn) == (30, "Дәрігер анықтамасы")
    console = secretary.get(f"/en/staff/sittings/{world.sitting.pk}/live/").content.decode()
    assert "+30 min" in console


@pytest.mark.parametrize("minutes", ["", "abc", "-1", "9999999999", "121"])
def test_a_bad_number_on_the_page_is_refused_with_a_message(world, client_for, drawn, minutes):
    secretary = client_for(world.user("secretary"))
    response = secretary.post(
        f"/kk/staff/examinees/{drawn.pk}/extra-time/",
        {"minutes": minutes, "reason": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Қосымша уақытты бүтін минутпен көрсетіңіз" in response.content.decode()
    assert stored(drawn) == (0, "")


def test_the_chair_has_the_form_a_member_has_not(world, client_for, drawn):
    chair = client_for(world.user("chair")).get(f"/en/staff/examinees/{drawn.pk}/")
    assert "data-extra-time-form" in chair.content.decode()
    member = client_for(world.user("member"))
    assert (
        "data-extra-time-form"
        not in member.get(f"/en/staff/examinees/{drawn.pk}/").content.decode()
    )
    response = member.post(
        f"/en/staff/examinees/{drawn.pk}/extra-time/", {"minutes": "30", "reason": "x"}
    )
    assert response.status_code == 404
    assert stored(drawn) == (0, "")


def test_the_examinee_page_speaks_kazakh_and_russian(world, client_for):
    secretary = client_for(world.user("secretary"))
    kk = secretary.get(f"/kk/staff/examinees/{world.examinee.pk}/").content.decode()
    for words in ("Арнайы жағдайлар", "Қосымша уақытты сақтау", "Тілді сақтау", "ең көбі 120"):
        assert words in kk
    ru = secretary.get(f"/ru/staff/examinees/{world.examinee.pk}/").content.decode()
    for words in ("Особые условия", "Сохранить дополнительное время", "любой билет банка"):
        assert words in ru


def test_the_protocols_record_the_extra_time_and_why(world, drawn, t0):
    # An accommodation is part of the record (K-14): the examinee's protocol and the row of
    # the sitting's protocol say how much and why, in the PDF and the DOCX.
    from attestation.records.models import Protocol
    from attestation.records.services import protocol_render, protocols_ensure
    from tests.test_protocol import docx_text, pdf_text
    from tests.test_records_documents import flat

    examinee_extra_time_set(
        examinee=drawn, minutes=30, reason="дәрігер анықтамасы", actor=world.user("secretary")
    )
    # The grade decided (here without the grading steps, which are not what is tested): the
    # examinee's protocol is made for a decided grade only.
    Examinee.objects.filter(pk=drawn.pk).update(final_score=75)
    protocols_ensure(sitting=world.sitting)
    for kind in ("examinee", "sitting"):
        protocol = Protocol.objects.get(
            kind=kind, **({"examinee": drawn} if kind == "examinee" else {})
        )
        for form, read in (("pdf", pdf_text), ("docx", docx_text)):
            text = flat(read(protocol_render(protocol, form, "kk")))
            assert flat("Қосымша уақыт") in text and flat("30 минут: дәрігер анықтамасы") in text, (
                kind,
                form,
            )
    # Only the examinee who was given it: one mention in the sitting's rows.
    sitting = flat(pdf_text(protocol_render(Protocol.objects.get(kind="sitting"), "pdf", "kk")))
    assert sitting.count(flat("Қосымша уақыт")) == 1
