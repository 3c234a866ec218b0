"""One way to answer a record's PDF or DOCX (protocols, the chair's report, its signed copies),
for the pages and the API alike."""

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def document_response(
    data: bytes, fmt: str, name: str, *, inline_pdf: bool = False, sha256: str = ""
) -> HttpResponse:
    """`fmt` is "pdf" or "docx"; `name` the file name without its ending. A PDF opens in the
    browser where `inline_pdf` (the API's readers view it); a DOCX is always saved. `sha256`
    of stored, signed bytes becomes the ETag: the same bytes on every download."""
    response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else DOCX)
    disposition = "inline" if inline_pdf and fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.{fmt}"'
    # Private: a record is never kept by a shared cache; no-cache: a draft changes.
    response["Cache-Control"] = "private, no-cache"
    if sha256:
        response["ETag"] = f'"{sha256}"'
    return response


def copy_file_name(copy) -> str:
    """A signed copy of the chair's report: its commission, number and language."""
    return f"chair-report-{copy.report.commission.code}-{copy.number}-{copy.language}"


def copy_sha256(copy, fmt: str) -> str:
    return copy.sha256 if fmt == "pdf" else copy.docx_sha256
