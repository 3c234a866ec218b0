"""The official record over JSON (CONTRACT.md, "The official record"; K-5 … K-7): a sitting's
numbered protocols, their downloads (a signed one answers the same bytes every time) and
signing, with an optional detached ЭЦП."""

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from attestation.api.schemas import ErrorOut, download
from attestation.commissions.access import get_sitting_for_registrar_or_staff
from attestation.core.errors import DomainError
from attestation.records import services
from attestation.records.access import get_protocol_for_reader, get_protocol_for_signer
from attestation.records.models import Protocol
from attestation.records.ncanode import MAX_CMS_BYTES

router = Router(tags=["records"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ProtocolSignatureOut(Schema):
    user_id: int
    role: str
    signed_at: datetime
    ecp: str


class SittingProtocolOut(Schema):
    id: int
    number: int
    kind: str
    examinee_id: int | None
    status: str
    sha256: str | None
    signatures: list[ProtocolSignatureOut]


class ProtocolSignOut(SittingProtocolOut):
    pass


def protocol_out(protocol: Protocol) -> dict:
    return {
        "id": protocol.pk,
        "number": protocol.number,
        "kind": protocol.kind,
        "examinee_id": protocol.examinee_id,
        "status": protocol.status,
        "sha256": protocol.sha256 or None,
        "signatures": [
            {"user_id": s.user_id, "role": s.role, "signed_at": s.signed_at, "ecp": s.ecp}
            for s in sorted(protocol.signatures.all(), key=lambda s: (s.signed_at, s.pk))
        ],
    }


@router.get(
    "/sittings/{sitting_id}/protocols",
    response={200: list[SittingProtocolOut], 404: ErrorOut},
)
def sitting_protocols_list(request, sitting_id: int):
    """The sitting's numbered protocols (commission, registrar); the missing ones are numbered
    now, in sequence within the commission's year."""
    sitting = get_sitting_for_registrar_or_staff(request.auth, sitting_id)
    return [protocol_out(p) for p in services.protocols_ensure(sitting=sitting)]


def _language(request) -> str | None:
    language = request.GET.get("lang")
    if language is not None and language not in services.LANGUAGES:
        raise DomainError(_("The protocol is made in kk, ru or en."), "invalid", 422)
    return language


def _download(request, protocol_id: int, fmt: str) -> HttpResponse:
    protocol = get_protocol_for_reader(request.auth, protocol_id)
    data = services.protocol_bytes(protocol, fmt, _language(request), request.auth)
    response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else DOCX)
    name = f"protocol-{protocol.year}-{protocol.number}.{fmt}"
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["Cache-Control"] = "private, no-cache"
    if protocol.signed:
        response["ETag"] = f'"{protocol.sha256 if fmt == "pdf" else protocol.docx_sha256}"'
    return response


@router.get(
    "/protocols/{protocol_id}.pdf",
    response={404: ErrorOut, 422: ErrorOut},
    openapi_extra=download("application/pdf", "The protocol (PDF)"),
)
def protocol_as_pdf_file(request, protocol_id: int):
    """One protocol as PDF (commission, registrar; an appeal protocol also its student). A
    signed protocol answers its stored bytes, whose SHA-256 the list gives; `?lang=kk|ru`
    applies to a draft."""
    return _download(request, protocol_id, "pdf")


@router.get(
    "/protocols/{protocol_id}.docx",
    response={404: ErrorOut, 422: ErrorOut},
    openapi_extra=download(DOCX, "The protocol (DOCX)"),
)
def protocol_as_docx_file(request, protocol_id: int):
    """One protocol as DOCX; the same rules as the PDF."""
    return _download(request, protocol_id, "docx")


@router.post(
    "/protocols/{protocol_id}/sign",
    response={200: ProtocolSignOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut},
)
def protocol_sign(request, protocol_id: int, cms: File[UploadedFile | None] = None):
    """The caller signs (chair, members present, secretary; anyone else 404). `{}`, or
    multipart `cms`: a detached ЭЦП (CMS, .cms/.p7s) over the signed PDF. The first signature
    freezes the protocol; signing again answers 200, unchanged."""
    protocol = get_protocol_for_signer(request.auth, protocol_id)
    data = None
    if cms is not None:
        if cms.size > MAX_CMS_BYTES:
            raise DomainError(_("The signature file is too large."), "too_large", 413)
        data = cms.read()
        if not data:
            raise DomainError(_("The signature file is empty."), "invalid", 422)
    services.protocol_sign(protocol=protocol, actor=request.auth, cms=data)
    protocol = Protocol.objects.prefetch_related("signatures").get(pk=protocol.pk)
    return protocol_out(protocol)
