"""Evidence files of an application (R-17.1): a medical certificate photographed or scanned.

Validated like answer pages: the name and content type sent are ignored, the format is sniffed
from the content against an allow-list (PDF, or the photo formats of `answers.images`), the
size is capped, and what is stored has a server-made name. Photos are re-encoded as JPEG by
`answers.images.process_photo` (metadata such as GPS dropped); PDFs are opened with pypdf and
stored as sent. Files are served only through an access-checked view.
"""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from attestation.answers.images import check_size, process_photo
from attestation.core.errors import DomainError

MAX_FILES = 5
PDF_MAX_PAGES = 50
PDF, JPEG = "application/pdf", "image/jpeg"


@dataclass
class CheckedFile:
    data: bytes
    sha256: str
    content_type: str
    name: str  # what the student called it, for display only; never a path
    active: bool = False  # a PDF with an open action or JavaScript (defense/pdfcheck.py)

    @property
    def extension(self) -> str:
        return "pdf" if self.content_type == PDF else "jpg"


def max_bytes() -> int:
    return getattr(settings, "APPLICATION_EVIDENCE_MAX_BYTES", settings.ANSWER_MAX_BYTES)


def evidence_check(fileobj, *, name: str = "", size: int | None = None) -> CheckedFile:
    """One uploaded file → a checked PDF or JPEG, or a DomainError (4xx) saying what is wrong."""
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
    check_size(size)
    if size > max_bytes():
        raise DomainError(
            _("The file is too large: at most %(mb)s MB per file.")
            % {"mb": max_bytes() // (1024 * 1024)},
            "file_too_large",
            413,
        )
    display = (name or "").replace("\\", "/").rsplit("/", 1)[-1][:150] or "evidence"
    fileobj.seek(0)
    head = fileobj.read(5)
    fileobj.seek(0)
    if head == b"%PDF-":
        data = fileobj.read()
        active = _check_pdf(data)
        return CheckedFile(data, hashlib.sha256(data).hexdigest(), PDF, display, active)
    try:
        photo = process_photo(fileobj)
    except DomainError as error:
        if error.code == "not_an_image":
            raise DomainError(
                _("This file is not accepted. Upload a PDF or a photo (JPEG, PNG, WEBP, HEIC)."),
                "unsupported_file",
                415,
            ) from None
        raise
    return CheckedFile(photo.data, photo.sha256, JPEG, display)


def evidence_check_all(files) -> list[CheckedFile]:
    """Every file of one application, in the order sent; at most MAX_FILES."""
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise DomainError(
            _("At most %(n)s files per application.") % {"n": MAX_FILES}, "too_many_files", 422
        )
    return [
        evidence_check(f, name=getattr(f, "name", ""), size=getattr(f, "size", None)) for f in files
    ]


def _check_pdf(data: bytes) -> bool:
    """Checks the PDF; True when it carries active content (accepted, flagged)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from attestation.defense.pdfcheck import pdf_active_content

    broken = DomainError(
        _("The PDF is damaged or protected with a password. Upload another copy."),
        "broken_pdf",
        400,
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise broken
        pages = len(reader.pages)
        active = pdf_active_content(reader, data)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        raise broken from None
    if pages < 1:
        raise broken
    if pages > PDF_MAX_PAGES:
        raise DomainError(
            _("The PDF has too many pages (at most %(n)s).") % {"n": PDF_MAX_PAGES},
            "too_many_pages",
            413,
        )
    return active
