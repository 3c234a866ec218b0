"""Results as XLSX for the registrar's student information system: one row per examinee, with
stable column keys in the first row so that an import can map them."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from attestation.grading.scale import grade_for

COLUMNS = (
    "student_username",
    "full_name",
    "group",
    "programme",
    "sitting_code",
    "date",
    "form",
    "score",
    "letter",
    "points",
    "word",
)


def results_rows(examinees) -> list[list]:
    """Examinees with `student__user` and `sitting` fetched. Grades only for announced
    sittings: before the announcement there are no official results to load."""
    rows = []
    for e in examinees:
        sitting = e.sitting
        official = sitting.announced_at is not None and e.final_score is not None
        grade = grade_for(e.final_score) if official else None
        rows.append(
            [
                e.student.user.username,
                e.student.full_name,
                e.student.group,
                e.student.programme,
                sitting.code,
                timezone.localtime(sitting.starts_at).date(),
                sitting.form,
                grade.score if grade else None,
                grade.letter if grade else None,
                float(grade.points) if grade else None,
                str(grade.word) if grade else None,
            ]
        )
    return rows


def results_xlsx(examinees, *, title: str = "results") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in results_rows(examinees):
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJK", (18, 34, 12, 30, 22, 12, 14, 8, 8, 8, 22), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["F"][1:]:
        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
