"""Blank files to fill in: the headers in the page's language and one example row."""

import csv
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from attestation.imports.kinds import KINDS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def template_build(*, kind: str, fmt: str, language: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the template for `kind` as `xlsx` or `csv`."""
    spec = KINDS[kind]
    headers = [column.title(language) for column in spec.columns]
    example = spec.example_row()
    name = f"{kind}-{language}.{fmt}"
    if fmt == "csv":
        out = io.StringIO(newline="")
        # `;` is what Excel expects in Kazakh and Russian locales; the BOM makes it read UTF-8.
        writer = csv.writer(out, delimiter=";")
        writer.writerow(headers)
        writer.writerow(example)
        return ("\ufeff" + out.getvalue()).encode("utf-8"), CSV_TYPE, name
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\\/?*\[\]:]", " ", str(spec.title))[:31]
    sheet.append(headers)
    sheet.append(example)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8F2F8")
    for column, header in zip(sheet[1], headers, strict=True):
        column.font = bold
        column.fill = fill
        width = max(len(header), len(str(example[column.column - 1]))) + 2
        sheet.column_dimensions[column.column_letter].width = min(60, max(12, width))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), XLSX_TYPE, name
