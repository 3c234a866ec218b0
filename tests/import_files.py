"""Spreadsheets as a registrar makes them, built in memory for the import tests."""

import csv
import io

from openpyxl import Workbook

STUDENT_HEADERS = [
    "Username",
    "Full name",
    "Group",
    "Educational programme",
    "E-mail",
    "ID document number",
    "Initial password",
]
COMMISSION_HEADERS = [
    "Commission code",
    "Commission title",
    "Educational programme",
    "Year",
    "Commission kind",
    "Username",
    "Full name",
    "E-mail",
    "Role",
]
SITTING_HEADERS = [
    "Sitting code",
    "Commission code",
    "Form",
    "Exam kind",
    "Sitting title",
    "Date",
    "Time",
    "Conference link",
    "Ticket bank code",
    "Place in the list",
    "Student username",
    "Thesis topic",
    "Supervisor",
    "Reviewer",
]
TICKET_HEADERS = [
    "Bank code",
    "Bank title",
    "Commission code",
    "Ticket number",
    "Language",
    "Question number",
    "Question",
]


def xlsx(rows: list[list], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(rows: list[list], delimiter: str = ";", bom: bool = True) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def student_row(n: int, **changes) -> list:
    values = {
        "username": f"st{n:05d}",
        "full_name": f"Сәрсенбаев Нұрлан {n}",
        "group": "ИС-22-1",
        "programme": "6B06101 Ақпараттық жүйелер",
        "email": f"st{n:05d}@university.kz",
        "id_document": f"0{n:08d}",
        "password": "",
    } | changes
    return list(values.values())


def students_sheet(count: int, start: int = 1) -> list[list]:
    return [STUDENT_HEADERS] + [student_row(n) for n in range(start, start + count)]


def sitting_row(position: int, username: str, **changes) -> list:
    values = {
        "sitting": "is-written-1",
        "commission": "world-sac",
        "form": "жазбаша емтихан",
        "exam_kind": "мемлекеттік",
        "title": "Мемлекеттік емтихан: ақпараттық жүйелер",
        "date": "25.06.2026",
        "time": "09:30",
        "conference_url": "https://meet.university.kz/is-written",
        "bank": "",
        "position": position,
        "student": username,
        "thesis_topic": "",
        "supervisor": "",
        "reviewer": "",
    } | changes
    return list(values.values())


def ticket_rows(bank: str, number: int, questions: int = 3, **changes) -> list[list]:
    rows = []
    for q in range(1, questions + 1):
        values = {
            "bank": bank,
            "bank_title": "Ақпараттық жүйелер: мемлекеттік емтихан",
            "commission": "",
            "ticket": number,
            "language": "kk",
            "question_number": q,
            "question": f"Билет {number}, сұрақ {q}: деректер қорының қалыпты формалары",
        } | changes
        rows.append(list(values.values()))
    return rows


class Importer:
    """Uploads files as the registrar through the set-up page, running the queued task at
    commit as the worker would (the tests' task backend is the immediate one)."""

    def __init__(self, client, registrar, capture_on_commit):
        self.client = client
        self.registrar = registrar
        self.capture = capture_on_commit

    def post(self, kind: str, name: str, content: bytes, language: str = "en"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.registrar)
        with self.capture(execute=True):
            return self.client.post(
                f"/{language}/registrar/import/{kind}/",
                {"file": SimpleUploadedFile(name, content)},
            )

    def run(self, kind: str, name: str, content: bytes, language: str = "en"):
        """The finished job for the file."""
        from attestation.imports.models import ImportJob

        response = self.post(kind, name, content, language)
        assert response.status_code == 302, response.content.decode()[:2000]
        job = ImportJob.objects.latest("id")
        assert response["Location"] == f"/{language}/registrar/imports/{job.pk}/"
        return job

    def problems(self, job) -> list[tuple]:
        return [(p["row"], p["column"], p["message"]) for p in job.problems]
