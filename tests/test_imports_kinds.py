"""Imports of commission compositions, ticket banks and sittings with examinee lists."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import transaction

from attestation.accounts.models import User
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.imports.models import ImportJob
from attestation.tickets.models import Draw, Question, Ticket, TicketBank
from tests.factories import StudentFactory, UserFactory
from tests.import_files import (
    COMMISSION_HEADERS,
    SITTING_HEADERS,
    TICKET_HEADERS,
    Importer,
    csv_file,
    sitting_row,
    ticket_rows,
    xlsx,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    registrar = UserFactory(username="registrar_t", full_name="Тіркеуші Әсем", is_registrar=True)
    return Importer(client, registrar, django_capture_on_commit_callbacks)


def roles(code: str) -> set[tuple[str, str]]:
    return set(
        Membership.objects.filter(commission__code=code).values_list("user__username", "role")
    )


# --- Commission composition ---------------------------------------------------------------------

SAC = ["is-sac-2026", "Ақпараттық жүйелер МАК", "6B06101", 2026, "МАК"]
APPEAL = ["is-appeal-2026", "Апелляциялық комиссия", "", 2026, "апелляционная"]
COMPOSITION = [
    COMMISSION_HEADERS,
    [*SAC, "bekn", "Сейітқали Бекнұр", "bekn@university.kz", "төраға"],
    [*SAC, "gulzh", "Жақсылықова Гүлжан", "", "мүше"],
    [*SAC, "aigerim", "Тұрсынова Әйгерім", "", "техникалық хатшы"],
    [*APPEAL, "serik", "Омаров Серік", "", "председатель"],
    [*APPEAL, "gulzh", "Жақсылықова Гүлжан", "", "Member"],
]


def test_commission_composition_from_xlsx_with_kazakh_and_russian_words(importer):
    existing = UserFactory(username="gulzh", full_name="Жақсылықова Гүлжан")
    job = importer.run("commissions", "composition.xlsx", xlsx(COMPOSITION))

    assert job.status == ImportJob.Status.DONE, job.problems
    sac = Commission.objects.get(code="is-sac-2026")
    assert (sac.title, sac.kind, sac.year, sac.programme) == (
        "Ақпараттық жүйелер МАК",
        "sac",
        2026,
        "6B06101",
    )
    assert Commission.objects.get(code="is-appeal-2026").kind == "appeal"
    assert roles("is-sac-2026") == {
        ("bekn", "chair"),
        ("gulzh", "member"),
        ("aigerim", "secretary"),
    }
    assert roles("is-appeal-2026") == {("serik", "chair"), ("gulzh", "member")}
    assert User.objects.filter(username="gulzh").get() == existing
    chair = User.objects.get(username="bekn")
    assert chair.email == "bekn@university.kz" and not chair.has_usable_password()
    assert job.counts["people_created"] == 3
    assert job.counts["roles_added"] == 5


def test_commission_composition_from_csv_twice_does_not_duplicate(importer):
    content = csv_file(COMPOSITION)
    importer.run("commissions", "composition.csv", content)
    job = importer.run("commissions", "composition.csv", content)

    assert job.status == ImportJob.Status.DONE
    assert job.counts["roles_added"] == 0 and job.counts["roles_kept"] == 5
    assert job.counts["commissions_created"] == 0 and job.counts["people_created"] == 0
    assert Commission.objects.filter(code__startswith="is-").count() == 2
    assert Membership.objects.filter(commission__code__startswith="is-").count() == 5


def test_a_new_chair_in_the_file_replaces_the_old_one(importer):
    importer.run("commissions", "composition.xlsx", xlsx(COMPOSITION))
    rows = [list(row) for row in COMPOSITION[:4]]
    rows[1][5:8] = ["nurlan", "Бекенов Нұрлан", ""]
    job = importer.run("commissions", "composition.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.DONE, job.problems
    assert roles("is-sac-2026") == {
        ("nurlan", "chair"),
        ("gulzh", "member"),
        ("aigerim", "secretary"),
    }
    assert job.counts["roles_removed"] == 1
    assert roles("is-appeal-2026") == {("serik", "chair"), ("gulzh", "member")}, "untouched"


def test_broken_composition_changes_nothing_and_points_at_each_row(importer):
    rows = [list(row) for row in COMPOSITION]
    rows[2][8] = "председатель"  # row 3: a second chair of is-sac-2026
    rows[3][8] = "бастық"  # row 4: no such role
    rows[4][3] = "биыл"  # row 5: not a year
    rows[5][1] = "Басқа атау"  # row 6: the commission's title differs from row 5
    job = importer.run("commissions", "composition.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.FAILED
    problems = importer.problems(job)
    assert (3, "Role", "commission «is-sac-2026» already has a chair: bekn in row 2") in problems
    [(column, message)] = [p[1:] for p in problems if p[0] == 4]
    assert column == "Role"
    assert message == "«бастық» is not one of: chair / deputy chair / member / technical secretary"
    assert (5, "Year", "«биыл» is not a whole number") in problems
    assert (6, "Commission title", "differs from row 5 («Апелляциялық комиссия»)") in problems
    assert not Commission.objects.filter(code__startswith="is-").exists()
    assert not User.objects.filter(username__in=["bekn", "serik"]).exists()


# --- Ticket banks -------------------------------------------------------------------------------


def test_ticket_bank_from_xlsx(importer, world):
    rows = [TICKET_HEADERS, *ticket_rows("is-bank", 1, commission="world-sac")]
    rows += ticket_rows("is-bank", 2, commission="world-sac", language="русский")
    job = importer.run("tickets", "bank.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.DONE, job.problems
    bank = TicketBank.objects.get(code="is-bank")
    assert bank.commission == world.commission
    assert [t.number for t in bank.tickets.all()] == [1, 2]
    assert bank.tickets.get(number=2).language == "ru"
    assert bank.tickets.get(number=1).question_texts == [
        f"Билет 1, сұрақ {q}: деректер қорының қалыпты формалары" for q in (1, 2, 3)
    ]
    assert job.counts == {
        "banks_created": 1,
        "banks_updated": 0,
        "tickets_created": 2,
        "tickets_updated": 0,
        "tickets_unchanged": 0,
        "questions": 6,
    }


def test_ticket_bank_from_csv_again_replaces_questions_of_undrawn_tickets(importer):
    rows = [TICKET_HEADERS, *ticket_rows("is-bank", 1), *ticket_rows("is-bank", 2)]
    importer.run("tickets", "bank.csv", csv_file(rows))
    rows[6][6] = "Жаңа сұрақ: SQL сұраныстары"  # ticket 2, question 3
    job = importer.run("tickets", "bank.csv", csv_file(rows))

    assert job.counts["tickets_unchanged"] == 1 and job.counts["tickets_updated"] == 1
    assert Ticket.objects.filter(bank__code="is-bank").count() == 2
    assert Question.objects.filter(ticket__bank__code="is-bank").count() == 6
    ticket = Ticket.objects.get(bank__code="is-bank", number=2)
    assert ticket.question_texts[-1] == "Жаңа сұрақ: SQL сұраныстары"


def test_questions_of_a_drawn_ticket_cannot_change(importer, world):
    ticket = world.sitting.ticket_bank.tickets.get(number=1)
    Draw.objects.create(
        examinee=world.examinee, sitting=world.sitting, ticket=ticket, card_position=1
    )
    code = world.sitting.ticket_bank.code
    same = [(q.position, q.text) for q in ticket.questions.all()]
    rows = [TICKET_HEADERS]
    for position, text in same:
        rows.append([code, "Bank", "", 1, "kk", position, text])
    assert importer.run("tickets", "bank.xlsx", xlsx(rows)).status == ImportJob.Status.DONE

    rows[2][6] = "Өзгертілген сұрақ"
    rows += ticket_rows(code, 9, bank_title="Bank")
    job = importer.run("tickets", "bank.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    assert importer.problems(job) == [
        (
            2,
            "Ticket number",
            "ticket 1 has already been drawn in a sitting: its questions cannot be changed",
        )
    ]
    assert ticket.question_texts == [text for _position, text in same]
    assert not Ticket.objects.filter(bank__code=code, number=9).exists()


def test_ticket_bank_with_unknown_commission_and_repeated_question(importer):
    rows = [TICKET_HEADERS, *ticket_rows("is-bank", 1, commission="no-such-sac")]
    rows.append(ticket_rows("is-bank", 1, commission="no-such-sac")[1])  # row 5 repeats q2
    job = importer.run("tickets", "bank.xlsx", xlsx(rows))
    assert importer.problems(job) == [
        (2, "Commission code", "unknown commission «no-such-sac»: import the commission first"),
        (5, "Question number", "question 2 of ticket 1 is already in row 3"),
    ]
    assert not TicketBank.objects.filter(code="is-bank").exists()


# --- Sittings with examinee lists ---------------------------------------------------------------


@pytest.fixture
def students(db):
    return [
        StudentFactory(user=UserFactory(username=f"kz{n}", full_name=f"Нұрланұлы Әли {n}"))
        for n in range(1, 5)
    ]


def test_sitting_with_its_list_from_xlsx_with_excel_dates(importer, world, students):
    rows = [SITTING_HEADERS]
    for position, student in enumerate(students[:3], start=1):
        row = sitting_row(position, student.user.username, bank=world.sitting.ticket_bank.code)
        row[5], row[6] = date(2026, 6, 25), time(9, 30)  # real date and time cells
        rows.append(row)
    job = importer.run("sittings", "sittings.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.DONE, job.problems
    sitting = Sitting.objects.get(code="is-written-1")
    assert sitting.commission == world.commission
    assert (sitting.form, sitting.exam_kind) == ("written_exam", "state")
    assert sitting.ticket_bank == world.sitting.ticket_bank
    assert sitting.conference_url == "https://meet.university.kz/is-written"
    # 09:30 in Almaty is 04:30 UTC
    assert sitting.starts_at == datetime(2026, 6, 25, 4, 30, tzinfo=UTC)
    order = list(sitting.examinees.order_by("position").values_list("student", flat=True))
    assert order == [s.pk for s in students[:3]]
    assert set(sitting.examinees.values_list("status", flat=True)) == {"waiting"}


def test_defence_sitting_from_csv_with_thesis_and_reimport_in_new_order(importer, world, students):
    def sheet(order):
        rows = [SITTING_HEADERS]
        for position, student in enumerate(order, start=1):
            rows.append(
                sitting_row(
                    position,
                    student.user.username,
                    sitting="is-defense-1",
                    form="Защита",
                    exam_kind="",
                    thesis_topic=f"Тақырып {student.user.username}",
                    supervisor="Жақсылықова Гүлжан",
                    reviewer="Өмірзақов Қайрат",
                )
            )
        return csv_file(rows)

    importer.run("sittings", "defence.csv", sheet(students))
    first = Sitting.objects.get(code="is-defense-1")
    assert first.form == "defense"
    thesis = first.examinees.get(student=students[0])
    assert (thesis.thesis_topic, thesis.reviewer) == ("Тақырып kz1", "Өмірзақов Қайрат")

    # Again: reversed, and kz1 (still waiting) left out.
    job = importer.run("sittings", "defence.csv", sheet(list(reversed(students[1:]))))
    assert job.status == ImportJob.Status.DONE, job.problems
    order = list(
        first.examinees.order_by("position").values_list("student__user__username", "position")
    )
    assert order == [("kz4", 1), ("kz3", 2), ("kz2", 3)]
    assert job.counts["examinees_removed"] == 1 and job.counts["examinees_added"] == 0
    assert Sitting.objects.filter(code="is-defense-1").count() == 1


def test_an_examinee_who_has_started_cannot_be_left_out(importer, world, students):
    rows = [SITTING_HEADERS] + [
        sitting_row(n, s.user.username) for n, s in enumerate(students[:3], start=1)
    ]
    importer.run("sittings", "sittings.xlsx", xlsx(rows))
    sitting = Sitting.objects.get(code="is-written-1")
    admitted = sitting.examinees.get(student=students[1])
    Examinee.objects.filter(pk=admitted.pk).update(status=Examinee.Status.ADMITTED)

    rows = [SITTING_HEADERS, sitting_row(1, "kz3"), sitting_row(2, "kz1")]
    job = importer.run("sittings", "sittings.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.FAILED
    [(row, column, message)] = importer.problems(job)
    assert (row, column) == (2, "Sitting code")
    assert "Нұрланұлы Әли 2 (kz2) is not in the file" in message and "«admitted»" in message
    positions = dict(sitting.examinees.values_list("student__user__username", "position"))
    assert positions == {"kz1": 1, "kz2": 2, "kz3": 3}


def test_broken_sittings_file_changes_nothing_and_reports_each_problem(importer, world, students):
    rows = [
        SITTING_HEADERS,
        sitting_row(1, "kz1", date="31.02.2026"),  # row 2: no such date
        sitting_row(2, "kz2", date="31.02.2026"),
        sitting_row(2, "kz3", date="31.02.2026"),  # row 4: place 2 again
        sitting_row(4, "nobody", date="31.02.2026"),  # row 5: not a student
        sitting_row(1, "kz1", sitting="is-oral-1", commission="no-such-sac", form="ауызша"),
        sitting_row(2, "kz2", sitting="is-oral-1", commission="no-such-sac", form="сырттай"),
    ]
    job = importer.run("sittings", "sittings.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.FAILED
    problems = importer.problems(job)
    date_problem = "«31.02.2026» is not a date: write it as DD.MM.YYYY, e.g. 25.06.2026"
    assert (2, "Date", date_problem) in problems
    assert (4, "Place in the list", "place 2 is already given in row 3") in problems
    assert (
        7,
        "Form",
        "«сырттай» is not one of: written exam / oral exam / thesis defence",
    ) in problems
    assert (
        6,
        "Commission code",
        "unknown commission «no-such-sac»: import the commission first",
    ) in problems
    assert (
        5,
        "Student username",
        "no student with username «nobody»: import the students first",
    ) in problems
    assert not Sitting.objects.filter(code__in=["is-written-1", "is-oral-1"]).exists()


def test_saving_rechecks_what_changed_after_the_rows_were_checked(importer, world, students):
    """An examinee admitted between the check and the saving is not removed: the transaction
    rolls back instead (the check ran outside it)."""
    from attestation.imports.columns import Problems, Sheet
    from attestation.imports.kinds import sittings
    from attestation.imports.kinds.base import ImportConflict
    from attestation.imports.reading import read_table

    rows = [SITTING_HEADERS, sitting_row(1, "kz1"), sitting_row(2, "kz2")]
    importer.run("sittings", "sittings.xlsx", xlsx(rows))
    table = read_table(data=xlsx(rows[:2]), name="sittings.xlsx")
    plan = sittings.check(Sheet(table, sittings.COLUMNS, Problems()), lambda done: None)
    Examinee.objects.filter(student=students[1]).update(status=Examinee.Status.ADMITTED)

    with pytest.raises(ImportConflict), transaction.atomic():
        sittings.apply(plan)
    assert Examinee.objects.filter(sitting__code="is-written-1").count() == 2
