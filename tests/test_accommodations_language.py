"""The exam language per student (SPEC K-14): set by the registrar (admin), the secretary or the
sittings import; the draw then offers only that language's tickets, with no-repeat rounds of
its own, on both draws (as tests/test_draw_rules.py: on PostgreSQL an examinee read as admitted
takes the one-statement draw, anyone else the general one; SQLite always the general one)."""

from collections import Counter

import pytest
from django.db import connection
from django.utils import translation

from attestation.audit.models import AuditEntry
from attestation.commissions.accommodations import examinee_exam_language_set
from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.imports.models import ImportJob
from attestation.tickets.models import Draw, Ticket
from attestation.tickets.pg_draw import draw_admitted
from attestation.tickets.services import cards_count, ticket_draw
from tests.factories import ExamineeFactory, StudentFactory, TicketFactory, UserFactory
from tests.import_files import SITTING_HEADERS, Importer, sitting_row, xlsx
from tests.personas import admit

pytestmark = pytest.mark.django_db

READS = ["after admission", "before admission"]
RUSSIAN = (6, 7, 8)  # the world's bank: tickets 1–5 in Kazakh; these three in Russian


@pytest.fixture
def bilingual(world):
    for number in RUSSIAN:
        TicketFactory(bank=world.sitting.ticket_bank, number=number, language="ru")
    return world


def admitted(world, examinee, read):
    before = Examinee.objects.get(pk=examinee.pk)
    after = admit(world, examinee)
    return after if read == "after admission" else before


def set_language(world, examinee, language):
    return examinee_exam_language_set(
        examinee=examinee, language=language, actor=world.user("secretary")
    )


@pytest.mark.parametrize("read", READS)
def test_only_the_examinees_language_is_offered(bilingual, read):
    world = bilingual
    sitting = Sitting.objects.get(pk=world.sitting.pk)
    assert cards_count(sitting, "ru") == 3 and cards_count(sitting, "kk") == 5
    assert cards_count(sitting) == 8  # no language: the whole bank, as before
    set_language(world, world.examinee, "ru")
    examinee = admitted(world, world.examinee, read)
    draw, created = ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    assert created and draw.ticket.number in RUSSIAN and draw.ticket.language == "ru"
    stored = Draw.objects.select_related("ticket").get(examinee=world.examinee)
    assert stored.ticket.language == "ru"
    # The Russian round goes on with the two left; the Kazakh tickets are untouched.
    assert cards_count(sitting, "ru") == 2 and cards_count(sitting, "kk") == 5


@pytest.mark.parametrize("read", READS)
def test_each_language_has_no_repeat_rounds_of_its_own(bilingual, read):
    world = bilingual
    russian = [world.examinee, world.other_examinee] + [
        ExamineeFactory(sitting=world.sitting, position=n) for n in range(3, 9)
    ]
    kazakh = [ExamineeFactory(sitting=world.sitting, position=n) for n in range(9, 12)]
    for examinee in russian:
        set_language(world, examinee, "ru")
    for examinee in kazakh:
        set_language(world, examinee, "kk")
    numbers = {"ru": [], "kk": []}
    rounds = {"ru": [], "kk": []}
    # Interleaved, as students come: a Kazakh draw does not use up a Russian round.
    order = russian[:2] + kazakh[:1] + russian[2:5] + kazakh[1:] + russian[5:]
    for examinee in order:
        examinee = admitted(world, examinee, read)
        draw, _ = ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
        numbers[draw.ticket.language].append(draw.ticket.number)
        rounds[draw.ticket.language].append(draw.round)
    # 3 Russian tickets, 8 Russian students: rounds of 3 distinct tickets, then 2 more.
    assert sorted(numbers["ru"][:3]) == list(RUSSIAN) == sorted(numbers["ru"][3:6])
    assert len(set(numbers["ru"][6:])) == 2
    assert rounds["ru"] == [0, 0, 0, 1, 1, 1, 2, 2]
    assert set(numbers["kk"]) <= {1, 2, 3, 4, 5} and len(set(numbers["kk"])) == 3
    assert rounds["kk"] == [0, 0, 0]
    assert Counter(Draw.objects.values_list("ticket__language", flat=True)) == {"ru": 8, "kk": 3}


@pytest.mark.parametrize("read", READS)
def test_a_language_the_bank_lacks_is_a_clear_409(world, read):
    set_language(world, world.examinee, "ru")  # the world's bank is all Kazakh
    examinee = admitted(world, world.examinee, read)
    # The student reads the refusal in Kazakh (whatever an earlier test left active).
    with translation.override("kk"), pytest.raises(DomainError) as refused:
        ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    assert (refused.value.code, refused.value.status) == ("no_tickets", 409)
    assert "«Орысша»" in refused.value.message and "техникалық хатшыға" in refused.value.message
    assert not Draw.objects.exists()
    assert Examinee.objects.get(pk=world.examinee.pk).status == "admitted"
    assert not AuditEntry.objects.filter(action="ticket.draw").exists()


@pytest.mark.parametrize("read", READS)
def test_a_card_beyond_the_languages_tickets_is_refused(bilingual, read):
    world = bilingual
    set_language(world, world.examinee, "ru")
    examinee = admitted(world, world.examinee, read)
    with pytest.raises(DomainError) as refused:
        ticket_draw(examinee=examinee, position=4, actor=examinee.student.user)
    assert refused.value.code == "bad_position"
    assert not Draw.objects.exists()


def test_a_language_set_between_reading_and_drawing_is_the_one_drawn(bilingual):
    """Both draws read the language under the examinee's lock, not from the caller's copy."""
    world = bilingual
    examinee = admit(world)  # read with no language
    set_language(world, Examinee.objects.get(pk=examinee.pk), "ru")
    draw, _ = ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    assert draw.ticket.number in RUSSIAN


# --- Setting it --------------------------------------------------------------------------------


def test_the_secretary_sets_it_audited_and_not_after_the_draw(bilingual):
    world = bilingual
    examinee = set_language(world, world.examinee, "ru")
    entry = AuditEntry.objects.get(action="examinee.exam_language")
    assert (entry.from_state, entry.to_state, entry.actor) == ("", "ru", world.user("secretary"))
    set_language(world, examinee, "ru")  # the same again: nothing to record
    assert AuditEntry.objects.filter(action="examinee.exam_language").count() == 1
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    with pytest.raises(DomainError) as refused:
        set_language(world, Examinee.objects.get(pk=examinee.pk), "kk")
    assert refused.value.code == "already_drawn"
    assert Examinee.objects.get(pk=examinee.pk).exam_language == "ru"


def test_an_unknown_language_is_422(world):
    with pytest.raises(DomainError) as refused:
        set_language(world, world.examinee, "de")
    assert (refused.value.code, refused.value.status) == ("invalid_language", 422)
    assert Examinee.objects.get(pk=world.examinee.pk).exam_language == ""


def test_the_secretary_sets_it_on_the_examinee_page_and_is_warned(world, client_for):
    secretary = client_for(world.user("secretary"))
    response = secretary.post(
        f"/en/staff/examinees/{world.examinee.pk}/exam-language/", {"language": "ru"}, follow=True
    )
    html = response.content.decode()
    assert "The exam language is saved." in html
    # The world's bank has Kazakh tickets only.
    assert "The ticket bank has no ticket in Russian: 1 examinee(s)" in html
    assert Examinee.objects.get(pk=world.examinee.pk).exam_language == "ru"
    console = secretary.get(f"/kk/staff/sittings/{world.sitting.pk}/").content.decode()
    assert "data-language-warning" in console and "«Орысша»" in console
    member = client_for(world.user("member"))
    refused = member.post(
        f"/en/staff/examinees/{world.examinee.pk}/exam-language/", {"language": "kk"}
    )
    assert refused.status_code == 404
    assert Examinee.objects.get(pk=world.examinee.pk).exam_language == "ru"


def test_the_student_is_told_at_the_draw_and_over_the_api(world, client, client_for, api_for):
    set_language(world, world.examinee, "ru")
    admit(world)
    page = client_for(world.user("student")).get(f"/ru/exam/{world.examinee.pk}/draw/")
    assert "В банке билетов нет билетов на вашем языке экзамена («Русский»)" in (
        page.content.decode()
    )
    token = api_for("student") | {"HTTP_ACCEPT_LANGUAGE": "en"}
    cards = client.get(f"/api/v1/examinees/{world.examinee.pk}/cards", **token)
    assert cards.status_code == 409 and cards.json()["code"] == "no_tickets"
    draw = client.post(
        f"/api/v1/examinees/{world.examinee.pk}/draw",
        {"position": 1},
        content_type="application/json",
        **token,
    )
    assert draw.status_code == 409 and draw.json()["code"] == "no_tickets"
    assert "your exam language" in draw.json()["detail"]
    assert not Draw.objects.exists()


def test_the_cards_are_the_languages_count(bilingual, client, api_for):
    world = bilingual
    set_language(world, world.examinee, "ru")
    admit(world)
    cards = client.get(f"/api/v1/examinees/{world.examinee.pk}/cards", **api_for("student"))
    assert cards.json() == [{"position": 1}, {"position": 2}, {"position": 3}]


def test_the_registrar_sets_it_in_the_admin_audited(world, client_for):
    registrar = client_for(world.user("registrar"))
    url = f"/en/admin/commissions/examinee/{world.examinee.pk}/change/"
    page = registrar.get(url)
    assert page.status_code == 200 and 'name="exam_language"' in page.content.decode()
    data = {
        "sitting": world.sitting.pk,
        "student": world.examinee.student_id,
        "position": 1,
        "exam_language": "ru",
    }
    response = registrar.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Examinee.objects.get(pk=world.examinee.pk).exam_language == "ru"
    entry = AuditEntry.objects.get(action="examinee.exam_language")
    assert (entry.from_state, entry.to_state, entry.actor) == ("", "ru", world.user("registrar"))


# --- The sittings import -----------------------------------------------------------------------


@pytest.fixture
def importer(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    registrar = UserFactory(username="registrar_t", full_name="Тіркеуші Әсем", is_registrar=True)
    return Importer(client, registrar, django_capture_on_commit_callbacks)


def test_the_sittings_import_sets_the_exam_language(importer, world):
    students = [StudentFactory(user=UserFactory(username=f"lang{n}")) for n in (1, 2, 3)]
    rows = [[*SITTING_HEADERS, "Язык экзамена"]]
    words = ["орыс", "kk", ""]
    for position, (student, word) in enumerate(zip(students, words, strict=True), start=1):
        rows.append([*sitting_row(position, student.user.username), word])
    job = importer.run("sittings", "sittings.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.DONE, job.problems
    languages = dict(
        Sitting.objects.get(code="is-written-1").examinees.values_list(
            "student__user__username", "exam_language"
        )
    )
    assert languages == {"lang1": "ru", "lang2": "kk", "lang3": ""}

    # A file without the column leaves the languages as they are.
    rows = [SITTING_HEADERS] + [
        sitting_row(n, s.user.username) for n, s in enumerate(students, start=1)
    ]
    assert importer.run("sittings", "sittings.xlsx", xlsx(rows)).status == ImportJob.Status.DONE
    examinees = Sitting.objects.get(code="is-written-1").examinees
    assert examinees.get(student=students[0]).exam_language == "ru"


def test_the_import_refuses_a_bad_language_and_a_change_after_the_draw(importer, world):
    world.sitting.code = "is-written-1"
    world.sitting.save()
    examinee = admit(world)
    ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    rows = [
        [*SITTING_HEADERS, "Exam language"],
        [*sitting_row(1, "student_p", bank=world.sitting.ticket_bank.code), "ru"],
        [*sitting_row(2, "other_p", bank=world.sitting.ticket_bank.code), "немісше"],
    ]
    job = importer.run("sittings", "sittings.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    problems = importer.problems(job)
    assert (2, "Exam language", "Абаев Әлихан has already drawn a ticket: the exam language "
            "cannot change") in problems  # fmt: skip
    assert any(row == 3 and "is not one of" in text for row, _col, text in problems)
    assert Examinee.objects.get(pk=examinee.pk).exam_language == ""


# --- The one-statement draw itself (PostgreSQL) ------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the draw in one statement")
def test_the_one_statement_draw_picks_in_the_language_or_hands_over(bilingual):
    world = bilingual
    set_language(world, world.examinee, "ru")
    examinee = admit(world)
    student = examinee.student.user
    assert draw_admitted(examinee, 4, student) is None  # card 4 of 3: the general draw says why
    draw = draw_admitted(examinee, 3, student)
    assert draw is not None and draw.ticket.number in RUSSIAN and draw.round == 0
    assert Draw.objects.get(examinee=examinee).ticket.language == "ru"
    other = admit(world, world.other_examinee)
    set_language(world, Examinee.objects.get(pk=other.pk), "kk")
    Ticket.objects.filter(language="kk").delete()
    assert draw_admitted(other, 1, other.student.user) is None  # no Kazakh ticket left
    assert not Draw.objects.filter(examinee=other).exists()


def test_the_exam_room_names_the_exam_language(world, client_for):
    set_language(world, world.examinee, "ru")
    room = client_for(world.user("student")).get(f"/ru/exam/{world.examinee.pk}/").content.decode()
    assert "Язык экзамена: Русский" in room
