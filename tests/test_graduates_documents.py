"""What the graduates' rules put on paper and where the GPA comes from: the students import's
GPA column, the admin, the registrar's two XLSX lists (read back with openpyxl) and the
degree protocol with its honours (read back with pdftotext and python-docx)."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from docx import Document
from openpyxl import load_workbook

from attestation.accounts.models import Student, User
from attestation.audit.models import AuditEntry
from attestation.imports.models import ImportJob
from attestation.records.models import Protocol
from attestation.records.services import protocol_render, protocols_ensure
from tests.factories import StudentFactory, UserFactory
from tests.graduates_world import year_of
from tests.import_files import STUDENT_HEADERS, Importer, student_row, xlsx
from tests.test_records_documents import flat, pdftotext

pytestmark = pytest.mark.django_db


# --- GPA in --------------------------------------------------------------------------------


@pytest.fixture
def importer(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    registrar = UserFactory(username="registrar_g", full_name="Тіркеуші Әсем", is_registrar=True)
    return Importer(client, registrar, django_capture_on_commit_callbacks)


def test_the_students_import_reads_the_gpa_column(importer):
    rows = [
        [*STUDENT_HEADERS, "GPA"],
        [*student_row(1), 3.67],
        [*student_row(2), "3,5"],
        [*student_row(3), None],
    ]
    job = importer.run("students", "students.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.DONE, job.problems
    gpas = dict(Student.objects.values_list("user__username", "gpa"))
    assert gpas == {"st00001": Decimal("3.67"), "st00002": Decimal("3.50"), "st00003": None}


def test_a_file_without_the_gpa_column_keeps_the_gpa(importer):
    StudentFactory(user=UserFactory(username="st00001"), gpa=Decimal("3.9"))
    job = importer.run("students", "students.xlsx", xlsx([STUDENT_HEADERS, student_row(1)]))
    assert job.status == ImportJob.Status.DONE
    assert Student.objects.get(user__username="st00001").gpa == Decimal("3.90")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (4.5, "4.5 is not a GPA: it is from 0.00 to 4.00"),
        ("-1", "-1 is not a GPA: it is from 0.00 to 4.00"),
        ("жақсы", "«жақсы» is not a GPA: write a number from 0.00 to 4.00"),
        (3.499, "3.499 has more than two decimals"),
        ("NaN", "NaN is not a GPA"),
    ],
)
def test_a_bad_gpa_is_a_row_error_naming_the_student_and_nothing_is_stored(
    importer, value, message
):
    rows = [[*STUDENT_HEADERS, "GPA"], [*student_row(1), 3.8], [*student_row(2), value]]
    job = importer.run("students", "students.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    (problem,) = job.problems
    assert problem["row"] == 3 and problem["column"] == "GPA"
    assert problem["message"].startswith("Сәрсенбаев Нұрлан 2: ")
    assert message in problem["message"]
    assert not User.objects.filter(username__in=["st00001", "st00002"]).exists()


def test_the_gpa_error_is_translated(importer):
    rows = [[*STUDENT_HEADERS, "GPA"], [*student_row(1), 7]]
    job = importer.run("students", "students.xlsx", xlsx(rows), **{"language": "ru"})
    with translation.override("ru"):
        assert "не GPA: он от 0,00 до 4,00" in job.problems[0]["message"]


def test_the_registrar_sets_the_gpa_in_the_admin_and_it_is_audited(world, client):
    student = world.examinee.student
    registrar = world.user("registrar")
    client.force_login(registrar)
    page = client.get(f"/en/admin/accounts/student/{student.pk}/change/")
    assert page.status_code == 200 and 'name="gpa"' in page.content.decode()
    response = client.post(
        f"/en/admin/accounts/student/{student.pk}/change/",
        {"user": student.user_id, "group": student.group, "programme": "", "gpa": "3.41"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    student.refresh_from_db()
    assert student.gpa == Decimal("3.41")
    entry = AuditEntry.objects.get(action="student.gpa")
    assert (entry.actor, entry.from_state, entry.to_state) == (registrar, "", "3.41")
    bad = client.post(
        f"/en/admin/accounts/student/{student.pk}/change/",
        {"user": student.user_id, "group": student.group, "gpa": "4.01"},
    )
    assert bad.status_code == 200
    student.refresh_from_db()
    assert student.gpa == Decimal("3.41")


# --- The registrar's lists -----------------------------------------------------------------


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True)), book


def test_the_expulsion_list_reads_back_in_the_readers_language(world, client_for):
    year_of(world)
    client = client_for(world.user("registrar"))
    rows, book = sheet_of(
        client.get(f"/ru/graduates/commissions/{world.commission.pk}/studies-end.xlsx")
    )
    assert rows[0][:5] == (
        "логин",
        "ФИО",
        "академическая группа",
        "образовательная программа",
        "итог",
    )
    (third,) = rows[1:]
    # The name that starts like a formula is a string, neutralised (OWASP CSV injection).
    assert third[1] == "'=Ерлан Қасымов"
    assert third[4] == "неявка без уважительной причины"
    assert "Защита" in third[5]
    cell = book.active["B2"]
    assert cell.data_type == "s"


def test_a_failed_student_is_on_the_expulsion_list(world, client_for):
    from tests.graduates_world import grade

    year_of(world)
    grade(world.other_examinee, 20)
    rows, _book = sheet_of(
        client_for(world.user("registrar")).get(
            f"/en/graduates/commissions/{world.commission.pk}/studies-end.xlsx"
        )
    )
    names = {row[1]: row for row in rows[1:]}
    assert names["Үмбетова Ұлжан"][4] == "failed"
    assert "F (20)" in names["Үмбетова Ұлжан"][5]


def test_the_awarded_list_cites_the_degree_protocol(world, client_for):
    exam, defence, _missing = year_of(world)
    degree = next(p for p in protocols_ensure(sitting=defence) if p.kind == Protocol.Kind.DEGREE)
    rows, _book = sheet_of(
        client_for(world.user("registrar")).get(
            f"/en/graduates/commissions/{world.commission.pk}/awarded.xlsx"
        )
    )
    assert rows[0] == (
        "username",
        "full name",
        "academic group",
        "educational programme",
        "degree",
        "diploma with honours",
        "GPA",
        "degree protocol number",
        "degree protocol date",
    )
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Абаев Әлихан", "Үмбетова Ұлжан"}
    alikhan = by_name["Абаев Әлихан"]
    assert alikhan[4].startswith("Bachelor — 6B06101")
    assert alikhan[5] == "yes" and alikhan[6] == 3.8
    assert alikhan[7] == degree.number and alikhan[8]
    assert by_name["Үмбетова Ұлжан"][5] == "no"


def test_the_lists_wait_for_the_announcement(world, client_for):
    year_of(world, announced=False)
    client = client_for(world.user("registrar"))
    for name in ("awarded", "studies-end"):
        rows, _book = sheet_of(
            client.get(f"/en/graduates/commissions/{world.commission.pk}/{name}.xlsx")
        )
        assert rows[1:] == []


# --- The degree protocol -------------------------------------------------------------------


def test_the_degree_protocol_names_who_is_awarded_with_honours(world):
    _exam, defence, _missing = year_of(world)
    protocol = next(p for p in protocols_ensure(sitting=defence) if p.kind == "degree")
    for language in ("kk", "ru"):
        text = flat(pdftotext(protocol_render(protocol, "pdf", language)))
        with translation.override(language):
            honours = translation.gettext("Awarded the degree and the diploma with honours")
            awarded = translation.gettext("Awarded the degree and the diploma")
        assert flat(honours) in text and flat(awarded) in text
        assert flat("Абаев Әлихан") in text and flat("Үмбетова Ұлжан") in text
        assert "3,80" in text and "3,20" in text
    document = Document(io.BytesIO(protocol_render(protocol, "docx", "ru")))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "№"]
    rows = {row.cells[1].text: row.cells[-1].text for row in table.rows[1:]}
    assert rows["Абаев Әлихан"] == "Присудить степень и выдать диплом с отличием"
    assert rows["Үмбетова Ұлжан"] == "Присудить степень и выдать диплом"
    assert "=Ерлан Қасымов" not in rows  # absent: no grade, not in the decision
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Присудить степень и выдать диплом с отличием" in paragraphs
