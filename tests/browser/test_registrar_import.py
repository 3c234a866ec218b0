import pytest

from attestation.accounts.models import Student
from attestation.imports.models import ImportJob
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from tests.import_files import STUDENT_HEADERS, student_row, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(page, name: str, content: bytes) -> None:
    page.goto("/en/registrar/")
    card = page.locator("#kind-students")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": XLSX_TYPE, "buffer": content}]
    )
    card.get_by_role("button", name="Import").click()
    page.wait_for_url("**/en/registrar/imports/*/")


def test_registrar_imports_students_then_reads_the_row_errors(new_page, world, media):
    page = new_page()
    errors, uploads = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda r: uploads.append(r.resource_type) if "/registrar/import/" in r.url else None,
    )
    sign_in(page, "registrar_p", PASSWORD, language="en")

    good = [STUDENT_HEADERS, student_row(1), student_row(2), student_row(3)]
    upload(page, "students.xlsx", xlsx(good))
    assert page.get_by_role("status").filter(has_text="Imported: 3 rows.").is_visible()
    assert page.locator(".kv").get_by_text("Students created").is_visible()
    for n in (1, 2, 3):
        assert page.get_by_role("cell", name=f"Сәрсенбаев Нұрлан {n}").is_visible()
    assert Student.objects.filter(user__username__startswith="st0000").count() == 3

    broken = [
        STUDENT_HEADERS,
        student_row(4),
        student_row(5, group=""),  # row 3
        student_row(4, full_name="Екінші"),  # row 4: st00004 again
        student_row(6, email="Ұлжан@"),  # row 5
    ]
    upload(page, "students-broken.xlsx", xlsx(broken))
    assert page.get_by_role("alert").filter(has_text="Nothing was imported.").is_visible()
    table = page.locator("#problems tbody tr")
    assert table.count() == 3
    assert table.nth(0).inner_text().split("\t") == ["3", "Group", "empty"]
    assert table.nth(1).inner_text().split("\t") == [
        "4",
        "Username",
        "«st00004» is already in row 2",
    ]
    assert "is not an e-mail address" in table.nth(2).inner_text()
    screenshot(page, "registrar-import-errors")
    assert not Student.objects.filter(user__username__in=["st00004", "st00005"]).exists()

    page.get_by_role("link", name="Set-up").first.click()
    jobs = page.locator("table tbody tr")
    assert jobs.count() == 2
    assert "failed — nothing changed" in jobs.nth(0).inner_text()
    screenshot(page, "registrar-setup")
    assert errors == []
    assert uploads == ["xhr", "xhr"], "import.js sends the file with upload progress"


def test_job_page_follows_progress_without_reloading(new_page, world, media):
    registrar = world.user("registrar")
    job = ImportJob.objects.create(
        kind="students",
        original_name="all-students.xlsx",
        status=ImportJob.Status.VALIDATING,
        rows_total=2000,
        rows_done=400,
        created_by=registrar,
    )
    page = new_page()
    sign_in(page, "registrar_p", PASSWORD, language="en")
    page.goto(f"/en/registrar/imports/{job.pk}/")
    assert page.get_by_text("400 of 2000 rows").is_visible()

    ImportJob.objects.filter(pk=job.pk).update(rows_done=1500)
    page.get_by_text("1500 of 2000 rows").wait_for()
    assert page.locator(".progress__bar").get_attribute("style") == "width: 75%"

    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, rows_done=2000, counts={"created": 2000}
    )
    page.get_by_text("Imported: 2000 rows.").wait_for()
    assert page.locator("[hx-trigger]").count() == 0  # polling has stopped


def test_a_wrong_file_is_refused_on_the_form_with_or_without_javascript(new_page, world, media):
    for javascript in (True, False):
        page = new_page(java_script_enabled=javascript)
        sign_in(page, "registrar_p", PASSWORD, language="en")
        page.goto("/en/registrar/")
        card = page.locator("#kind-students")
        card.locator("input[type=file]").set_input_files(
            files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\x00"}]
        )
        card.get_by_role("button", name="Import").click()
        error = page.locator("#kind-students .errorlist")
        error.wait_for()
        assert "Upload an Excel workbook (.xlsx) or a CSV file (.csv)." in error.inner_text()
        assert not ImportJob.objects.exists()


def test_import_works_as_a_plain_form_without_javascript(new_page, world, media):
    page = new_page(java_script_enabled=False)
    sign_in(page, "registrar_p", PASSWORD, language="en")
    upload(page, "students.xlsx", xlsx([STUDENT_HEADERS, student_row(1)]))
    assert page.get_by_text("Imported: 1 row.").is_visible()


def test_a_file_over_the_limit_is_refused_before_it_is_sent(new_page, world, media, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    page = new_page()
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    sign_in(page, "registrar_p", PASSWORD, language="en")
    page.goto("/en/registrar/")
    sent.clear()
    card = page.locator("#kind-students")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": b"a;b\n" * 300_000}]
    )
    card.get_by_role("button", name="Import").click()
    assert card.get_by_text("The file is too large: at most 1.0 MB.").is_visible()
    assert sent == []
