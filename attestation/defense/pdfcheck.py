"""Is it a real PDF? (R-19.1) Magic bytes, pypdf opens it, it has pages, it is not encrypted."""

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from attestation.core.errors import DomainError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class CheckedPdf:
    data: bytes
    sha256: str
    pages: int


def max_bytes() -> int:
    return getattr(settings, "THESIS_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_pdf(file) -> CheckedPdf:
    """Read and check an uploaded PDF; a DomainError (4xx) with a clear message otherwise."""
    limit = max_bytes()
    if file is None:
        raise DomainError(_("Choose a PDF file."), "no_file", 422)
    if file.size > limit:
        raise DomainError(
            _("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)},
            "too_large",
            413,
        )
    file.seek(0)
    data = file.read()
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("This is not a PDF file. Save the thesis as PDF."), "not_pdf", 422)
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DomainError(
                _("The PDF is password-protected. Upload it without a password."),
                "pdf_encrypted",
                422,
            )
        pages = len(reader.pages)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError):
        raise DomainError(
            _("The PDF cannot be opened: it is damaged. Export it again."), "pdf_damaged", 422
        ) from None
    if pages == 0:
        raise DomainError(_("The PDF has no pages."), "pdf_empty", 422)
    return CheckedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=pages)
