"""Results as XLSX for the registrar's student information system: one row per examinee.
The first row is in the reader's language; the second sheet, `columns`, maps each column to
its stable key, so that an import can map them whatever language the file was made in.

Every text a person typed (names, groups, programmes) is written as a string cell and, when
it begins like a formula, neutralised the way OWASP describes for CSV injection: a leading
apostrophe. A spreadsheet never runs what a student put in their name."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from attestation.commissions.models import Examinee
from attestation.core.input import document_text
from attestation.grading.scale import grade_for

# (stable key, header in the reader's language, column width)
COLUMN_SPECS = (
    ("student_username", _("username"), 18),
    ("full_name", _("full name"), 34),
    ("group", _("academic group"), 12),
    ("programme", _("educational programme"), 30),
    ("sitting_code", _("sitting"), 22),
    ("date", _("date"), 12),
    ("form", _("form"), 14),
    ("status", _("status"), 12),
    ("score", _("score"), 8),
    ("letter", _("letter grade"), 8),
    ("points", _("grade points"), 8),
    ("word", _("traditional grade"), 22),
)
COLUMNS = tuple(key for key, _label, _width in COLUMN_SPECS)

ABSENT, NOT_GRADED, GRADED = "absent", "not_graded", "graded"
STATUS_LABELS = {
    ABSENT: pgettext_lazy("result", "absent"),
    NOT_GRADED: pgettext_lazy("result", "not graded"),
    GRADED: pgettext_lazy("result", "graded"),
}
ABSENT_STATUSES = {Examinee.Status.ABSENT, Examinee.Status.ABSENT_VALID}

# What spreadsheets (and CSV importers) take as the start of a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text that a spreadsheet would read as a formula, prefixed with an apostrophe, and
    without the control characters XLSX cannot hold (openpyxl would refuse the whole file);
    any other value unchanged. Use it for every user text in XLSX and CSV exports."""
    if isinstance(value, str):
        value = document_text(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def result_status(examinee, grade) -> str:
    if examinee.status in ABSENT_STATUSES:
        return ABSENT
    return GRADED if grade is not None else NOT_GRADED


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
                str(STATUS_LABELS[result_status(e, grade)]),
                grade.score if grade else None,
                grade.letter if grade else None,
                float(grade.points) if grade else None,
                str(grade.word) if grade else None,
            ]
        )
    return rows


def _append(sheet, row) -> None:
    """Append a row, every str as a string cell: openpyxl would otherwise store a value
    beginning with `=` as a live formula."""
    sheet.append([neutralise(v) for v in row])
    for cell, value in zip(sheet[sheet.max_row], row, strict=True):
        if isinstance(value, str):
            cell.data_type = "s"


def results_xlsx(examinees, *, title: str = "results") -> bytes:
    """Headers in the active language (the reader's: the page's)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    _append(sheet, [str(label) for _key, label, _width in COLUMN_SPECS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in results_rows(examinees):
        _append(sheet, row)
    for cell, (_key, _label, width) in zip(sheet[1], COLUMN_SPECS, strict=True):
        sheet.column_dimensions[cell.column_letter].width = width
    for cell in sheet["F"][1:]:
        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    keys = workbook.create_sheet("columns")
    keys.append(["column", "key", "header"])
    for cell, (key, label, _width) in zip(sheet[1], COLUMN_SPECS, strict=True):
        keys.append([cell.column_letter, key, str(label)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
