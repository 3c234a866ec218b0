"""Evidence of a violation: one image or PDF, size-limited, stored under a name the server
makes (the uploaded name never reaches the disk), served only through an access check."""

import uuid
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from attestation.core.errors import DomainError

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


@dataclass
class Evidence:
    name: str
    content: ContentFile


def max_bytes() -> int:
    return getattr(settings, "INCIDENT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def evidence_read(upload) -> Evidence:
    """Check an uploaded file by its content, not its name or declared type."""
    limit = max_bytes()
    if upload.size > limit:
        raise DomainError(
            _("The file is too large: at most %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            "too_large",
            422,
        )
    data = upload.read(limit + 1)
    if data.startswith(b"%PDF-"):
        ext = "pdf"
    else:
        Image.MAX_IMAGE_PIXELS = getattr(settings, "IMAGE_MAX_PIXELS", 48_000_000)
        try:
            with Image.open(BytesIO(data), formats=list(IMAGE_FORMATS)) as image:
                image.verify()
                ext = IMAGE_FORMATS[image.format]
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
            raise DomainError(
                _("Attach a photo (JPEG, PNG, WebP) or a PDF."), "invalid_file", 422
            ) from None
    return Evidence(name=f"{uuid.uuid4().hex}.{ext}", content=ContentFile(data))


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
