"""The grading pages (R-15.1, R-16.1, R-26.1): the console, one examinee, the chair's actions,
results with the chart, the XLSX export and the student's cabinet."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from attestation.commissions.models import Sitting
from attestation.grading import services
from attestation.grading.exports import COLUMNS
from attestation.grading.models import Score
from attestation.tickets.services import ticket_draw
from tests.factories import ExamineeFactory, StudentFactory, UserFactory
from tests.test_grading_world import admit, make_oral, second_member, submit_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def oral(world):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    world.member2 = second_member(world)
    return world


def console_url(world, language="en"):
    return f"/{language}/grading/sittings/{world.sitting.pk}/"


def row_html(html: str, examinee) -> str:
    start = html.index(f'id="examinee-{examinee.pk}"')
    return html[start : html.index("</tr>", start)]


def shows(html: str, score: int) -> bool:
    """The score as a value on the page: not a piece of a CSRF token, a URL's id or a hashed
    file name, which are random or depend on the database's sequences."""
    return re.search(rf"(?<![\w/.\-]){score}(?![\w/])", html) is not None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("chair", 200),
        ("member", 200),
        ("secretary", 200),
        ("registrar", 404),
        ("student", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_who_opens_the_console(world, client_for, persona, status):
    assert client_for(world.user(persona)).get(console_url(world)).status_code == status


def test_a_member_scores_from_the_console_and_only_then_sees_the_others(oral, client_for):
    services.score_set(examinee=oral.examinee, member=oral.member2, score=95)
    client = client_for(oral.user("member"))
    html = client.get(console_url(oral)).content.decode()
    row = row_html(html, oral.examinee)
    assert "data-hidden-scores" in row and not shows(row, 95)
    assert "You graded 0 of 2" in html

    response = client.post(
        f"/en/grading/examinees/{oral.examinee.pk}/score/", {"score": "70", "comment": "ok"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#examinee-{oral.examinee.pk}")
    html = client.get(console_url(oral)).content.decode()
    row = row_html(html, oral.examinee)
    assert "data-hidden-scores" not in row
    assert "Нұрланова Қарлығаш: <strong>95</strong>" in row
    assert "Жақсылықова Гүлжан: <strong>70</strong>" in row
    assert "You graded 1 of 2" in html


def test_a_bad_score_on_the_page_says_why(oral, client_for):
    client = client_for(oral.user("member"))
    response = client.post(
        f"/en/grading/examinees/{oral.examinee.pk}/score/", {"score": "150"}, follow=True
    )
    assert "The score must be a whole number from 0 to 100." in response.content.decode()
    assert not Score.objects.exists()


def test_the_secretary_sees_progress_but_cannot_score(oral, client_for):
    services.score_set(examinee=oral.examinee, member=oral.user("member"), score=61)
    client = client_for(oral.user("secretary"))
    html = client.get(console_url(oral)).content.decode()
    assert 'class="inline-form score-form"' not in html
    # chair, member, deputy chair (a member too) and the second member
    assert "scored by 1 of 4" in row_html(html, oral.examinee)
    assert not shows(row_html(html, oral.examinee), 61)
    response = client.post(f"/en/grading/examinees/{oral.examinee.pk}/score/", {"score": "80"})
    assert response.status_code == 404


def test_the_chair_sees_the_disagreement_and_is_offered_the_mean(oral, client_for):
    services.score_set(examinee=oral.examinee, member=oral.user("member"), score=60)
    services.score_set(examinee=oral.examinee, member=oral.member2, score=81)
    services.score_set(examinee=oral.other_examinee, member=oral.user("member"), score=70)
    services.score_set(examinee=oral.other_examinee, member=oral.member2, score=75)
    html = client_for(oral.user("chair")).get(console_url(oral)).content.decode()
    disagreeing = row_html(html, oral.examinee)
    assert "is-disagreement" in disagreeing and "spread 21 · mean 71" in disagreeing
    assert 'name="score" min="0" max="100" step="1" required value="71"' in disagreeing
    agreeing = row_html(html, oral.other_examinee)
    assert "is-disagreement" not in agreeing and "spread 5 · mean 73" in agreeing
    assert "1 disagreement" in html


def test_the_chair_sets_the_final_grade_and_announces_from_the_pages(oral, client_for):
    client = client_for(oral.user("chair"))
    for examinee, score in ((oral.examinee, "87"), (oral.other_examinee, "52")):
        response = client.post(f"/en/grading/examinees/{examinee.pk}/final/", {"score": score})
        assert response.status_code == 302
    response = client.post(f"/en/grading/sittings/{oral.sitting.pk}/announce/", follow=True)
    assert "The results are announced." in response.content.decode()
    oral.sitting.refresh_from_db()
    assert oral.sitting.status == Sitting.Status.ANNOUNCED


def test_announce_from_the_page_names_who_is_missing(oral, client_for):
    client = client_for(oral.user("chair"))
    client.post(f"/en/grading/examinees/{oral.examinee.pk}/final/", {"score": "87"})
    response = client.post(f"/en/grading/sittings/{oral.sitting.pk}/announce/", follow=True)
    assert "Set the final grade first for: 2. Үмбетова Ұлжан." in response.content.decode()
    assert (
        client_for(oral.user("member"))
        .post(f"/en/grading/sittings/{oral.sitting.pk}/announce/")
        .status_code
        == 404
    )


def test_the_secretary_sets_the_time_of_the_announcement(oral, client_for):
    when = timezone.localtime(oral.sitting.starts_at + timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    client = client_for(oral.user("secretary"))
    response = client.post(
        f"/en/grading/sittings/{oral.sitting.pk}/announce-time/",
        {"announce_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    oral.sitting.refresh_from_db()
    assert oral.sitting.announce_at == when
    assert (
        client_for(oral.user("member"))
        .post(
            f"/en/grading/sittings/{oral.sitting.pk}/announce-time/",
            {"announce_at": when.strftime("%Y-%m-%dT%H:%M")},
        )
        .status_code
        == 404
    )


def test_overdue_grading_is_shown_to_the_chair(oral, client_for):
    html = client_for(oral.user("chair")).get(console_url(oral)).content.decode()
    assert "data-overdue" not in html and "data-countdown" in html
    with time_machine.travel(timezone.now() + timedelta(hours=6)):
        html = client_for(oral.user("chair")).get(console_url(oral)).content.decode()
        assert "data-overdue" in html and "Grading is overdue" in html
        member_html = client_for(oral.user("member")).get(console_url(oral)).content.decode()
        assert "data-overdue" not in member_html


def test_the_examinee_page_shows_the_written_answer_and_the_ticket(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    examinee = submit_written(world, world.examinee)
    html = (
        client_for(world.user("member"))
        .get(f"/en/grading/examinees/{examinee.pk}/")
        .content.decode()
    )
    assert "data-answers-console" in html
    assert f"/answers/{examinee.pk}/answer.pdf" in html
    for question in examinee.draw.ticket.questions.all():
        assert question.text in html
    assert 'name="additional_questions"' in html


def test_the_examinee_page_saves_additional_questions(oral, client_for):
    client = client_for(oral.user("member"))
    page = f"/en/grading/examinees/{oral.examinee.pk}/"
    response = client.post(
        f"/en/grading/examinees/{oral.examinee.pk}/score/",
        {
            "score": "77",
            "comment": "",
            "additional_questions": "B-ағаш дегеніміз не?",
            "next": page,
        },
    )
    assert response["Location"] == page
    assert Score.objects.get().additional_questions == "B-ағаш дегеніміз не?"
    # The console's short form keeps them.
    client.post(f"/en/grading/examinees/{oral.examinee.pk}/score/", {"score": "78"})
    assert Score.objects.get().additional_questions == "B-ағаш дегеніміз не?"


def announce(world, scores):
    chair = world.user("chair")
    for examinee, score in zip((world.examinee, world.other_examinee), scores, strict=True):
        services.final_set(examinee=examinee, actor=chair, score=score)
    services.sitting_announce(sitting=world.sitting, actor=chair)


def test_results_page_draws_the_distribution_and_the_mean_points(oral, client_for):
    announce(oral, (96, 44))
    response = client_for(oral.user("registrar")).get(
        f"/en/grading/sittings/{oral.sitting.pk}/results/"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    assert 'data-letter="A" data-count="1"' in html
    assert 'data-letter="FX" data-count="1"' in html
    assert 'data-letter="B" data-count="0"' in html
    assert "<strong data-mean-points>2.25</strong>" in html  # (4.0 + 0.5) / 2
    commission = client_for(oral.user("member")).get(
        f"/en/grading/commissions/{oral.commission.pk}/results/"
    )
    assert commission.status_code == 200
    assert 'data-letter="A" data-count="1"' in commission.content.decode()


def test_results_before_the_announcement_are_a_draft_members_do_not_see(oral, client_for):
    services.final_set(examinee=oral.examinee, actor=oral.user("chair"), score=96)
    url = f"/en/grading/sittings/{oral.sitting.pk}/results/"
    member_html = client_for(oral.user("member")).get(url).content.decode()
    assert "Not announced yet" in member_html and "<svg" not in member_html
    chair_html = client_for(oral.user("chair")).get(url).content.decode()
    assert "Draft" in chair_html and 'data-letter="A" data-count="1"' in chair_html
    for persona in ("student", "outsider"):
        assert client_for(oral.user(persona)).get(url).status_code == 404


def test_xlsx_export_has_one_row_per_examinee_for_the_registrar(oral, client_for):
    announce(oral, (88, 71))
    response = client_for(oral.user("registrar")).get(
        f"/en/grading/sittings/{oral.sitting.pk}/results.xlsx"
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    keys = [row[1] for row in workbook["columns"].iter_rows(min_row=2, values_only=True)]
    assert tuple(keys) == COLUMNS
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["student_username"] == "student_p"
    assert first["full_name"] == "Абаев Әлихан"
    assert first["group"] == "ИС-22-1"
    assert first["sitting_code"] == oral.sitting.code
    assert first["form"] == "oral_exam"
    assert (first["score"], first["letter"], first["points"], first["word"]) == (
        88,
        "B+",
        3.33,
        "good",
    )
    assert first["date"].date() == timezone.localtime(oral.sitting.starts_at).date()
    assert first["status"] == "graded"
    assert len(rows) == 3
    assert (
        client_for(oral.user("student"))
        .get(f"/en/grading/sittings/{oral.sitting.pk}/results.xlsx")
        .status_code
        == 404
    )


def test_the_student_sees_no_grade_before_the_announcement_then_their_own(oral, client_for):
    chair = oral.user("chair")
    services.final_set(examinee=oral.examinee, actor=chair, score=93)
    services.final_set(examinee=oral.other_examinee, actor=chair, score=40)
    services.announcement_time_set(
        sitting=oral.sitting, actor=chair, announce_at=oral.sitting.starts_at + timedelta(hours=2)
    )
    client = client_for(oral.user("student"))
    html = client.get("/en/training/sac/").content.decode()
    # ">93<": the grade as the page would show it (a bare "93" may turn up in a CSRF token).
    assert "data-result" not in html and ">93<" not in html
    assert "Results are announced at" in html
    assert "rejoin the conference" in html and oral.sitting.conference_url in html

    services.sitting_announce(sitting=oral.sitting, actor=chair)
    html = client.get("/en/training/sac/").content.decode()
    assert "data-result-score>93<" in html and "data-result-letter>A-<" in html
    assert "excellent" in html
    assert ">40<" not in html  # the other student's grade is not here
    kazakh = client.get("/kk/training/sac/").content.decode()
    assert "data-result-score>93<" in kazakh and "data-result-letter>A-<" in kazakh


def test_the_schedule_runs_no_extra_query_per_result(world, client_for):
    """The include reads what is on the row: more announced sittings, no more queries."""
    student = world.examinee.student

    def page_queries():
        client = client_for(student.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/kk/training/sac/").status_code == 200
        return len(queries)

    def add_announced():
        sitting = Sitting.objects.create(
            commission=world.commission,
            code=f"extra-{Sitting.objects.count()}",
            form=Sitting.Form.ORAL_EXAM,
            title="Қосымша",
            starts_at=timezone.now(),
            status=Sitting.Status.ANNOUNCED,
            announced_at=timezone.now(),
        )
        ExamineeFactory(sitting=sitting, student=student, position=1, final_score=80)

    add_announced()
    one = page_queries()
    for _ in range(3):
        add_announced()
    assert page_queries() == one


# --- A constant number of queries, whatever the size of the sitting -----------------------


def fill(world, count: int, start: int) -> None:
    """`count` examinees in the (oral) world sitting, admitted, drawn and scored by both
    members, with a final grade — every part of a row present."""
    chair, member = world.user("chair"), world.user("member")
    for i in range(count):
        user = UserFactory(username=f"q{start + i}", full_name=f"Жұмабаев Тәуекел {start + i}")
        examinee = ExamineeFactory(
            sitting=world.sitting, student=StudentFactory(user=user), position=start + i
        )
        admit(world, examinee, draw=False)
        ticket_draw(examinee=examinee, position=1, actor=user)
        services.score_set(examinee=examinee, member=member, score=60 + i % 40)
        services.score_set(examinee=examinee, member=world.member2, score=70)
        # Far from some means: the reason is required (K-4).
        services.final_set(examinee=examinee, actor=chair, score=65, reason="after discussion")


def console_queries(client, world, assert_max) -> int:
    """The queries of one console page, signed in already (the sign-in is not counted)."""
    with assert_max(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
        response = client.get(console_url(world))
    assert response.status_code == 200
    return len(queries)


# Session, user, roles (menu), sitting, roles in the commission, examiners, examinees with
# student/draw/ticket/answer, questions, scores with members, incidents, and the session save.
MAX_QUERIES = 15


@pytest.mark.parametrize("persona", ["chair", "member", "secretary"])
def test_the_console_runs_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries, persona
):
    make_oral(world)
    world.member2 = second_member(world)
    Sitting.objects.filter(pk=world.sitting.pk).update(tickets_may_repeat=True)
    world.sitting.refresh_from_db()
    fill(world, 10, start=100)
    client = client_for(world.user(persona))
    ten = console_queries(client, world, django_assert_max_num_queries)
    fill(world, 190, start=200)
    assert world.sitting.examinees.count() == 202
    two_hundred = console_queries(client, world, django_assert_max_num_queries)
    assert two_hundred == ten
