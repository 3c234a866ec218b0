"""Reading an uploaded XLSX or CSV file into a header row and numbered data rows.

Row numbers are the ones the registrar sees in Excel: the header is usually row 1, so the first
data row is row 2. Empty rows are skipped but keep their numbers counted.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

XLSX = "xlsx"
CSV = "csv"
# A whole university's students fit easily; a sheet past this is not a registrar's list.
MAX_ROWS = 50_000
# Columns past this are not read: no import has nearly so many.
MAX_COLUMNS = 200
# Trailing formatted-but-empty rows are common in Excel; this many in a row end the sheet.
MAX_BLANK_RUN = 500


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `message` is translated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def detect_format(*, head: bytes, name: str) -> str:
    """`xlsx` or `csv` from the first bytes (and the name); ImportFileError for anything else."""
    lower = name.lower()
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as .xlsx and upload it again.")
        )
    if lower.endswith(".xlsx"):
        raise ImportFileError(_("The file is named .xlsx but is not an Excel workbook."))
    if b"\x00" in head or not (lower.endswith((".csv", ".txt")) or _looks_like_text(head)):
        raise ImportFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    return CSV


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A multi-byte letter cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def read_table(*, data: bytes, name: str) -> Table:
    """The header and the non-empty rows of the first sheet (XLSX) or of the CSV file."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    fmt = detect_format(head=data[:2048], name=name)
    raw_rows = _xlsx_rows(data) if fmt == XLSX else _csv_rows(data)
    table: Table | None = None
    blank_run = 0
    for number, values in raw_rows:
        cells = [_clean(value) for value in values]
        if all(cell is None for cell in cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        if table is None:
            table = Table(
                headers=[str(c) if c is not None else "" for c in cells], header_row=number
            )
            continue
        table.rows.append((number, cells))
        if len(table.rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
    if table is None:
        raise ImportFileError(_("The file is empty."))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return table


def _clean(value: Any) -> Any:
    """Strings stripped (an empty string is None); numbers and dates as they are."""
    if isinstance(value, str):
        value = value.replace("\u00a0", " ").strip()
        return value or None
    return value


def _xlsx_sizes_check(data: bytes) -> None:
    """Refuse a decompression bomb before openpyxl inflates anything: the archive's directory
    says how large each part unpacks, and Python's zipfile never inflates a part past its
    declared size (a lie ends in a CRC error), so checking the declared sizes is enough."""
    from django.conf import settings

    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx). Is it damaged?")
        ) from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if sum(part.file_size for part in parts) > limit:
        raise ImportFileError(
            _(
                "The workbook unpacks to more than %(limit)s MB, far more than any list of "
                "students or sittings. Check that it is the right file, or split it."
            )
            % {"limit": limit // (1024 * 1024)}
        )
    for part in parts:
        # Spreadsheet XML packs 5–20 times, rarely 100; a part that packs a thousandfold is
        # built to exhaust memory. Small parts may pack as they like.
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 1024 * 1024 and ratio > settings.IMPORT_MAX_PACK_RATIO:
            raise ImportFileError(
                _(
                    "The workbook contains a part that unpacks to %(ratio)s times its packed "
                    "size, which is not a normal Excel file. Open it in Excel, save it as "
                    ".xlsx again and upload that."
                )
                % {"ratio": int(ratio)}
            )


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _xlsx_sizes_check(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx). Is it damaged?")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, row in enumerate(rows, start=1):
            yield number, list(row)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx). Is it damaged?")
        ) from None
    finally:
        workbook.close()


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not in UTF-8. In Excel choose «Save as» → «CSV UTF-8».")
        ) from None
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=";,").delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Excel numbers rows by record, not by physical line (a quoted cell may span lines).
        yield from enumerate(reader, start=1)
    except csv.Error:
        raise ImportFileError(_("The CSV file could not be read: check its quotes.")) from None
