"""The registrar's imports: students, bad files, large files, access, templates."""

import csv
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from attestation.accounts.models import Student, User
from attestation.audit.models import AuditEntry
from attestation.imports.kinds import KINDS
from attestation.imports.models import ImportJob
from attestation.imports.services import import_job_run
from tests.factories import StudentFactory, UserFactory
from tests.import_files import (
    STUDENT_HEADERS,
    Importer,
    csv_file,
    student_row,
    students_sheet,
    xlsx,
)
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def importer(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    registrar = UserFactory(username="registrar_t", full_name="Тіркеуші Әсем", is_registrar=True)
    return Importer(client, registrar, django_capture_on_commit_callbacks)


# --- Students ---------------------------------------------------------------------------------


def test_students_import_from_xlsx_creates_accounts_and_records(importer):
    rows = students_sheet(3)
    rows[2][-1] = "Qazaqstan-2026!"  # st00002 gets an initial password
    job = importer.run("students", "students.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.DONE
    assert job.counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "passwords": 1,
        "without_password": 2,
    }
    student = Student.objects.select_related("user").get(user__username="st00001")
    assert student.user.full_name == "Сәрсенбаев Нұрлан 1"
    assert student.group == "ИС-22-1"
    assert student.programme == "6B06101 Ақпараттық жүйелер"
    assert student.user.email == "st00001@university.kz"
    assert student.id_document_number == "000000001"
    assert not student.user.has_usable_password()
    assert check_password("Qazaqstan-2026!", User.objects.get(username="st00002").password)
    assert not job.file, "the file (passwords, ID numbers) is not kept after the import"

    page = importer.client.get(f"/en/registrar/imports/{job.pk}/").content.decode()
    assert "Imported: 3 rows." in page
    assert "New accounts without a password" in page
    assert "Сәрсенбаев Нұрлан 3" in page


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", False)])
def test_students_import_from_csv_with_either_delimiter(importer, delimiter, bom):
    job = importer.run("students", "students.csv", csv_file(students_sheet(4), delimiter, bom))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert job.counts["created"] == 4
    assert Student.objects.filter(user__username__startswith="st0000").count() == 4
    assert User.objects.get(username="st00004").full_name == "Сәрсенбаев Нұрлан 4"


def test_importing_the_same_students_file_twice_updates_without_duplicates(importer):
    rows = students_sheet(3)
    importer.run("students", "students.xlsx", xlsx(rows))
    users_before = User.objects.count()
    rows[1][2] = "ИС-22-2"  # st00001 moved to another group
    job = importer.run("students", "students.xlsx", xlsx(rows))

    assert job.counts["created"] == 0
    assert job.counts["updated"] == 1
    assert job.counts["unchanged"] == 2
    assert User.objects.count() == users_before
    assert Student.objects.get(user__username="st00001").group == "ИС-22-2"
    assert AuditEntry.objects.filter(action="import.students").count() == 2


def test_reimport_does_not_reset_a_password_the_student_changed(importer):
    rows = students_sheet(1)
    rows[1][-1] = "Qazaqstan-2026!"
    importer.run("students", "students.xlsx", xlsx(rows))
    user = User.objects.get(username="st00001")
    user.set_password("my-own-secret-77")
    user.save()

    job = importer.run("students", "students.xlsx", xlsx(rows))
    user.refresh_from_db()
    assert user.check_password("my-own-secret-77")
    assert job.counts["passwords"] == 0


def test_username_matches_an_existing_account_whatever_the_case(importer):
    existing = StudentFactory(user=UserFactory(username="St00001"))
    job = importer.run("students", "students.xlsx", xlsx(students_sheet(1)))
    assert job.counts["updated"] == 1
    assert not User.objects.filter(username="st00001").exists()
    existing.refresh_from_db()
    assert existing.user.full_name == "Сәрсенбаев Нұрлан 1"


def test_kazakh_and_russian_headers_are_recognised_in_any_case_and_spacing(importer):
    headers = [
        "  ПАЙДАЛАНУШЫ АТЫ ",
        "ФИО",
        "топ",
        "Образовательная   программа",
        "e-mail",
        "Жеке куәлік нөмірі",
        "Notes",  # an extra column is ignored
    ]
    rows = [headers, [*student_row(7)[:6], "called on Monday"]]
    job = importer.run("students", "students.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert Student.objects.get(user__username="st00007").id_document_number == "000000007"


def test_a_title_line_above_the_header_is_skipped_and_rows_keep_excel_numbers(importer):
    rows = [["Бітірушілер тізімі, 2026"], [], *students_sheet(2)]
    rows[4][2] = ""  # the second student, Excel row 5
    job = importer.run("students", "students.xlsx", xlsx(rows))
    assert importer.problems(job) == [(5, "Group", "empty")]


def test_a_column_given_twice_is_refused(importer):
    rows = [[*STUDENT_HEADERS, "Топ"], [*student_row(1), "ИС-22-1"]]
    job = importer.run("students", "students.xlsx", xlsx(rows))
    assert job.problems[0]["message"] == "The column «Топ» appears twice in the header row."


@pytest.mark.parametrize("kind", list(KINDS))
def test_no_header_is_claimed_by_two_columns(kind):
    seen: dict[str, str] = {}
    for column in KINDS[kind].columns:
        for name in column.names():
            assert seen.setdefault(name, column.key) == column.key, (name, column.key)


def test_broken_students_file_changes_nothing_and_lists_every_problem(importer):
    kept = StudentFactory(user=UserFactory(username="st00001"), group="ИС-21-9")
    rows = [
        STUDENT_HEADERS,
        student_row(1, group="ИС-22-1"),  # row 2: fine on its own
        student_row(2, group=""),  # row 3: empty group
        student_row(1, full_name="Қайталанған"),  # row 4: username repeats row 2
        student_row(4, email="not-an-email"),  # row 5
        student_row(5, password="123"),  # row 6: too weak
    ]
    job = importer.run("students", "broken.xlsx", xlsx(rows))

    assert job.status == ImportJob.Status.FAILED
    problems = importer.problems(job)
    assert (3, "Group", "empty") in problems
    assert (4, "Username", "«st00001» is already in row 2") in problems
    assert (5, "E-mail", "«not-an-email» is not an e-mail address") in problems
    assert [p[:2] for p in problems if p[0] == 6] == [(6, "Initial password")]
    assert job.problems[0]["text"] == "Row 3, column «Group»: empty"
    kept.refresh_from_db()
    assert kept.group == "ИС-21-9"
    assert not User.objects.filter(username__in=["st00002", "st00004", "st00005"]).exists()

    page = importer.client.get(f"/en/registrar/imports/{job.pk}/").content.decode()
    assert "Nothing was imported." in page
    assert "is not an e-mail address" in page
    assert AuditEntry.objects.get(action="import.students").to_state == "failed"


def test_problem_column_is_named_as_in_the_file(importer):
    rows = [["Логин", "ФИО", "Группа", "Образовательная программа", "Электронная почта"]]
    rows.append(["st1", "Ахметов Ерлан", None, "6B06101", "st1@university.kz"])
    job = importer.run("students", "students.csv", csv_file(rows), language="ru")
    assert importer.problems(job)[0][:2] == (2, "Группа")


# --- Bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("scan.pdf", b"%PDF-1.7\n\x00\x01\x02binary", "Upload an Excel workbook (.xlsx)"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel file (.xls)"),
        ("fake.xlsx", b"Username;Full name\n", "is not an Excel workbook"),
    ],
)
def test_files_that_are_not_xlsx_or_csv_are_refused_before_anything_is_stored(
    importer, name, content, message
):
    response = importer.post("students", name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_file_over_the_size_limit_is_refused(importer, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = importer.post("students", "big.csv", csv_file(students_sheet(40)))
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_missing_required_columns_are_named(importer):
    rows = [["Username", "Full name", "E-mail"], ["st1", "Ахметов Ерлан", "st1@university.kz"]]
    job = importer.run("students", "students.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    [problem] = job.problems
    assert problem["row"] is None
    assert "«Group»" in problem["message"] and "«Educational programme»" in problem["message"]
    assert not User.objects.filter(username="st1").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cp1251.csv", "Логин;ФИО\nst1;Ахметов\n".encode("cp1251"), "not in UTF-8"),
        ("damaged.xlsx", b"PK\x03\x04not really a zip", "could not be read as an Excel"),
        ("header-only.csv", csv_file([STUDENT_HEADERS]), "no data rows"),
    ],
)
def test_unreadable_files_fail_with_a_clear_message(importer, name, content, message):
    job = importer.run("students", name, content)
    assert job.status == ImportJob.Status.FAILED
    assert message in job.problems[0]["message"]
    assert message in importer.client.get(f"/en/registrar/imports/{job.pk}/").content.decode()


# --- Large files and progress -------------------------------------------------------------------


def test_two_thousand_students_import_with_progress_written_every_hundred_rows(importer):
    rows = students_sheet(2000)
    rows[10][-1] = "Qazaqstan-2026!"
    content = xlsx(rows)
    with CaptureQueriesContext(connection) as queries:
        job = importer.run("students", "all-students.xlsx", content)

    assert job.status == ImportJob.Status.DONE, job.problems[:5]
    assert job.rows_total == 2000
    assert job.rows_done == job.rows_total
    assert job.counts["created"] == 2000
    assert job.counts["passwords"] == 1
    assert job.counts["without_password"] == 1999
    assert Student.objects.filter(user__username__startswith="st").count() == 2000
    progress_writes = [
        q
        for q in queries.captured_queries
        if (q["sql"] or "").startswith('UPDATE "imports_importjob"')
    ]
    # Two passes (check, then prepare) of 2,000 rows, written every 100 rows: not every row.
    assert 20 <= len(progress_writes) <= 50


def test_unfinished_job_page_polls_and_the_finished_one_stops(importer):
    importer.client.force_login(importer.registrar)
    job = ImportJob.objects.create(
        kind="students",
        original_name="students.xlsx",
        status=ImportJob.Status.VALIDATING,
        rows_total=2000,
        rows_done=700,
        created_by=importer.registrar,
    )
    page = importer.client.get(f"/en/registrar/imports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "700 of 2000 rows" in page
    assert 'style="width: 35%"' in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript the page reloads itself

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, rows_done=2000, counts={"created": 2000}
    )
    fragment = importer.client.get(
        f"/en/registrar/imports/{job.pk}/status/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in fragment
    assert "Students created" in fragment


def test_a_job_that_has_run_is_not_run_again(importer):
    job = importer.run("students", "students.xlsx", xlsx(students_sheet(2)))
    again = import_job_run(job_id=job.pk)
    assert again.status == ImportJob.Status.DONE
    assert AuditEntry.objects.filter(action="import.students").count() == 1


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("registrar", "anonymous")])
def test_only_the_registrar_reaches_the_set_up_pages(
    world, client_for, persona, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.user(persona))
    job = ImportJob.objects.create(kind="students", original_name="s.xlsx")
    for url in (
        "/en/registrar/",
        "/en/registrar/templates/students.xlsx",
        f"/en/registrar/imports/{job.pk}/",
        f"/en/registrar/imports/{job.pk}/status/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post("/en/registrar/import/students/", {"file": io.BytesIO(b"x")})
    assert response.status_code == 404
    assert ImportJob.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/en/registrar/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_registrar_sees_the_four_imports_and_recent_jobs(world, client_for):
    ImportJob.objects.create(kind="tickets", original_name="билеттер.xlsx", status="done")
    response = client_for(world.user("registrar")).get("/en/registrar/")
    html = response.content.decode()
    assert response.status_code == 200
    for title in ("Students", "Commission composition", "Ticket banks", "Sittings and examinee"):
        assert title in html
    assert "билеттер.xlsx" in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html


def test_upload_is_post_only(world, client_for):
    assert (
        client_for(world.user("registrar")).get("/en/registrar/import/students/").status_code == 405
    )


# --- Templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("language", ["en", "kk", "ru"])
def test_templates_have_the_headers_in_the_page_language(world, client_for, kind, language):
    client = client_for(world.user("registrar"))
    titles = [column.title(language) for column in KINDS[kind].columns]

    response = client.get(f"/{language}/registrar/templates/{kind}.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    assert list(header) == titles
    assert any(letter in str(example) for letter in "әғқңөұүһі")

    response = client.get(f"/{language}/registrar/templates/{kind}.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert next(csv.reader(io.StringIO(text[1:]), delimiter=";")) == titles


def test_kazakh_student_template_reads_in_kazakh(world, client_for):
    response = client_for(world.user("registrar")).get("/kk/registrar/templates/students.csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Пайдаланушы аты;Аты-жөні;Топ")


def test_the_four_templates_import_in_order(importer):
    """Each template's example row is a valid import: the registrar can start from them."""
    for kind in ("students", "commissions", "tickets", "sittings"):
        importer.client.force_login(importer.registrar)
        content = importer.client.get(f"/kk/registrar/templates/{kind}.xlsx").content
        job = importer.run(kind, f"{kind}.xlsx", content, language="kk")
        assert job.status == ImportJob.Status.DONE, (kind, job.problems)
