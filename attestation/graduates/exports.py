"""The registrar's lists as XLSX (K-11, K-5/K-6): those whose studies end, for the expulsion
order, and those awarded the degree, with honours or not, citing the degree protocol. Headers
in the reader's language (the page's); every text a person typed written as a string cell,
neutralised when it begins like a formula (grading/exports.py, OWASP CSV injection).

Both lists read announced grades only (`announced_only`): an order cites official results."""

from io import BytesIO

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from attestation.commissions.models import Commission
from attestation.grading.exports import neutralise
from attestation.graduates.honours import ENDS_STUDIES, OUTCOME_LABELS, PASSED
from attestation.graduates.roster import Graduate, commission_graduates

EXPULSION_COLUMNS = (
    ("username", gettext_lazy("username"), 18),
    ("full_name", gettext_lazy("full name"), 34),
    ("group", gettext_lazy("academic group"), 12),
    ("programme", gettext_lazy("educational programme"), 30),
    ("outcome", gettext_lazy("outcome"), 30),
    ("grounds", gettext_lazy("grounds"), 60),
)
AWARDED_COLUMNS = (
    ("username", gettext_lazy("username"), 18),
    ("full_name", gettext_lazy("full name"), 34),
    ("group", gettext_lazy("academic group"), 12),
    ("programme", gettext_lazy("educational programme"), 30),
    ("degree", gettext_lazy("degree"), 40),
    ("honours", gettext_lazy("diploma with honours"), 14),
    ("gpa", gettext_lazy("GPA"), 8),
    ("protocol_number", gettext_lazy("degree protocol number"), 14),
    ("protocol_date", gettext_lazy("degree protocol date"), 16),
)


def _grounds(graduate: Graduate) -> str:
    """Which sittings end the studies: the failed grades and the absences."""
    parts = []
    for attempt in graduate.record.counted():
        if attempt.result == "failed":
            parts.append(f"{attempt.label}: {attempt.grade.letter} ({attempt.score})")
        elif attempt.result == "absent":
            parts.append(f"{attempt.label}: {OUTCOME_LABELS['absent']}")
    return "; ".join(parts)


def expulsion_rows(commission: Commission) -> list[list]:
    """Failed or absent without a valid reason (K-11), by name."""
    return [
        [
            g.student.user.username,
            g.full_name,
            g.student.group,
            g.student.programme or commission.programme,
            str(OUTCOME_LABELS[g.outcome]),
            _grounds(g),
        ]
        for g in commission_graduates(commission, announced_only=True)
        if g.outcome in ENDS_STUDIES
    ]


def degree_protocols(commission: Commission) -> dict[int, object]:
    """sitting id → its degree protocol, for the defence sittings that have one."""
    from attestation.records.models import Protocol

    protocols = Protocol.objects.filter(
        commission=commission, kind=Protocol.Kind.DEGREE
    ).select_related("sitting")
    return {p.sitting_id: p for p in protocols}


def protocol_date(protocol) -> str:
    """The date the degree protocol carries (records/content.py: the announcement's)."""
    sitting = protocol.sitting
    moment = sitting.announced_at or sitting.starts_at
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def awarded_rows(commission: Commission) -> list[list]:
    """Passed every part (K-10: with honours or not), by name; the degree protocol's number
    and date once it exists (the defence sitting's)."""
    protocols = degree_protocols(commission)
    rows = []
    for g in commission_graduates(commission, announced_only=True):
        if g.outcome != PASSED:
            continue
        defence = g.defence
        protocol = protocols.get(defence.sitting_id) if defence else None
        programme = g.student.programme or commission.programme
        rows.append(
            [
                g.student.user.username,
                g.full_name,
                g.student.group,
                programme,
                degree_name(programme or commission.title),
                _("yes") if g.honours.eligible else _("no"),
                float(g.student.gpa) if g.student.gpa is not None else None,
                protocol.number if protocol else None,
                protocol_date(protocol) if protocol else "",
            ]
        )
    return rows


# The programme's code says the level (the national classifier): 6B…, 7M…, 8D….
DEGREES = {
    "6B": gettext_lazy("Bachelor"),
    "7M": gettext_lazy("Master"),
    "8D": gettext_lazy("Doctor of Philosophy (PhD)"),
}


def degree_name(programme: str) -> str:
    """«Bachelor — 6B06101 Information systems»; the programme alone when its code is not
    one of the classifier's levels."""
    programme = programme.strip()
    level = DEGREES.get(programme[:2].upper())
    return f"{level} — {programme}" if level else programme


def _append(sheet, row) -> None:
    """A row with every str as a string cell, neutralised (never a live formula)."""
    sheet.append([neutralise(v) for v in row])
    for cell, value in zip(sheet[sheet.max_row], row, strict=True):
        if isinstance(value, str):
            cell.data_type = "s"


def _workbook(columns, rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    _append(sheet, [str(label) for _key, label, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        _append(sheet, row)
    for cell, (_key, _label, width) in zip(sheet[1], columns, strict=True):
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"
    keys = workbook.create_sheet("columns")
    keys.append(["column", "key", "header"])
    for cell, (key, label, _width) in zip(sheet[1], columns, strict=True):
        keys.append([cell.column_letter, key, str(label)])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def expulsion_xlsx(commission: Commission) -> bytes:
    return _workbook(EXPULSION_COLUMNS, expulsion_rows(commission), _("Studies end"))


def awarded_xlsx(commission: Commission) -> bytes:
    return _workbook(AWARDED_COLUMNS, awarded_rows(commission), _("Awarded"))
