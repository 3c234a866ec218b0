"""Is it a real PDF? (R-19.1) Magic bytes, pypdf opens it, it has pages, it is not encrypted."""

import hashlib
import re
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
    active: bool = False  # opens with an action or carries JavaScript: accepted, flagged


# A PDF that runs something when opened: an action on open, additional actions, or JavaScript
# anywhere. Names as they appear in the file; compressed object streams are searched through
# pypdf's objects, plain ones through the bytes too.
# (Not followed by a name character: a font subset such as /AAAAAB+Arial is not /AA.)
ACTIVE_MARKERS = re.compile(rb"/(?:OpenAction|JavaScript|JS|AA|Launch)(?![A-Za-z0-9#+_.-])")


def pdf_active_content(reader: PdfReader, data: bytes) -> bool:
    """True when the PDF would run an action or script in a reader that allows it. Such a
    file is still accepted (a word processor may add an open action innocently) but flagged
    for the staff; it is served sandboxed either way (core/headers.py)."""
    if ACTIVE_MARKERS.search(data):
        return True
    try:
        root = reader.trailer["/Root"]
        if "/OpenAction" in root or "/AA" in root:
            return True
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            return True
        for page in reader.pages:
            if "/AA" in page:
                return True
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None and action.get_object().get("/S") in (
                    "/JavaScript",
                    "/Launch",
                ):
                    return True
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return True  # a structure we cannot walk is worth a look too
    return False


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
        active = pdf_active_content(reader, data)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError):
        raise DomainError(
            _("The PDF cannot be opened: it is damaged. Export it again."), "pdf_damaged", 422
        ) from None
    if pages == 0:
        raise DomainError(_("The PDF has no pages."), "pdf_empty", 422)
    return CheckedPdf(
        data=data, sha256=hashlib.sha256(data).hexdigest(), pages=pages, active=active
    )
