"""The official record over JSON (CONTRACT.md, "The official record"; K-5 … K-7): a sitting's
numbered protocols, their downloads (a signed one answers the same bytes every time) and
signing, with an optional detached ЭЦП."""

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from attestation.api.schemas import ErrorOut, download
from attestation.api.types import text
from attestation.commissions.access import get_sitting_for_registrar_or_staff
from attestation.core.errors import DomainError
from attestation.grading.results import distribution
from attestation.records import report, services
from attestation.records.access import (
    get_commission_for_report,
    get_protocol_for_reader,
    get_protocol_for_signer,
    get_report_copy,
)
from attestation.records.download import DOCX, copy_file_name, copy_sha256, document_response
from attestation.records.models import ChairReport, ChairReportCopy, Protocol
from attestation.records.ncanode import MAX_CMS_BYTES

router = Router(tags=["records"])


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
    signed = (protocol.sha256 if fmt == "pdf" else protocol.docx_sha256) if protocol.signed else ""
    name = f"protocol-{protocol.year}-{protocol.number}"
    return document_response(data, fmt, name, inline_pdf=True, sha256=signed)


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


# --- The chair's report (K-15) ---------------------------------------------------------------


class ChairReportSittingOut(Schema):
    sitting_id: int
    title: str
    form: str
    examinees: int
    graded: int
    passed: int
    failed: int
    absent: int
    postponed: int
    pending: int


class ChairReportGradeOut(Schema):
    letter: str
    count: int


class ChairReportPersonOut(Schema):
    student_id: int
    full_name: str
    group: str
    examinee_id: int
    sitting_id: int
    score: int | None
    letter: str | None
    result: str


class ChairReportHonoursOut(Schema):
    student_id: int
    full_name: str
    group: str
    gpa: float | None
    letters: list[str]


class ChairReportCopyOut(Schema):
    id: int
    number: int
    language: str
    signed_by: int
    signed_at: datetime
    sha256: str
    docx_sha256: str
    ecp: str


class ChairReportSignOut(ChairReportCopyOut):
    created: bool


class ChairReportOut(Schema):
    commission_id: int
    sittings: list[ChairReportSittingOut]
    grades: list[ChairReportGradeOut]
    mean_score: float | None
    mean_points: float | None
    outcomes: dict[str, int]
    failures: list[ChairReportPersonOut]
    postponed: list[ChairReportPersonOut]
    honours: list[ChairReportHonoursOut]
    quality: str
    recommendations: str
    updated_at: datetime | None
    copies: list[ChairReportCopyOut]


class ChairReportRemarksIn(Schema):
    quality: text(ChairReport.MAX_LENGTH) = ""
    recommendations: text(ChairReport.MAX_LENGTH) = ""


def _person_out(item: dict) -> dict:
    attempt = item["attempt"]
    return {
        "student_id": item["student_id"],
        "full_name": item["full_name"],
        "group": item["group"],
        "examinee_id": attempt.examinee_id,
        "sitting_id": attempt.sitting_id,
        "score": attempt.score,
        "letter": attempt.grade.letter if attempt.grade else None,
        "result": attempt.result,
    }


def chair_report_out(commission) -> dict:
    figures = report.figures_read(commission)
    chart = distribution(figures.finals)
    remarks = report.remarks_of(commission)
    counts = ("examinees", "graded", "passed", "failed", "absent", "postponed", "pending")
    return {
        "commission_id": commission.pk,
        "sittings": [
            {"sitting_id": r["sitting"].pk, "title": r["sitting"].title, "form": r["sitting"].form}
            | {k: r[k] for k in counts}
            for r in figures.sittings
        ],
        "grades": [{"letter": b["letter"], "count": b["count"]} for b in chart["bars"]],
        "mean_score": chart["mean_score"],
        "mean_points": chart["mean_points"],
        "outcomes": figures.outcomes,
        "failures": [_person_out(i) for i in figures.failures],
        "postponed": [_person_out(i) for i in figures.postponed],
        "honours": [
            {k: h[k] for k in ("student_id", "full_name", "group", "gpa", "letters")}
            for h in figures.honours
        ],
        "quality": remarks.quality,
        "recommendations": remarks.recommendations,
        "updated_at": remarks.updated_at,
        "copies": [
            copy_out(c)
            for c in ChairReportCopy.objects.filter(report__commission=commission).order_by(
                "number"
            )
        ],
    }


def copy_out(copy) -> dict:
    return {
        "id": copy.pk,
        "number": copy.number,
        "language": copy.language,
        "signed_by": copy.signed_by_id,
        "signed_at": copy.signed_at,
        "sha256": copy.sha256,
        "docx_sha256": copy.docx_sha256,
        "ecp": copy.ecp,
    }


@router.get(
    "/commissions/{commission_id}/report",
    response={200: ChairReportOut, 404: ErrorOut},
)
def chair_report_read(request, commission_id: int):
    """The chair's report (K-15) as data: the announced sittings' results by grade, the
    students' outcomes, failures, postponements, diplomas with honours and the chair's
    remarks. The commission's chair and the registrar; anyone else 404."""
    return chair_report_out(get_commission_for_report(request.auth, commission_id))


@router.post(
    "/commissions/{commission_id}/report/remarks",
    response={200: ChairReportOut, 404: ErrorOut, 422: ErrorOut},
)
def chair_report_remarks_save(request, commission_id: int, payload: ChairReportRemarksIn):
    """The chair saves the remarks on the quality of training and the recommendations (each
    at most 6,000 characters; both replace what was saved). Only the commission's chair."""
    commission = get_commission_for_report(request.auth, commission_id, write=True)
    services.chair_report_save(
        commission=commission,
        actor=request.auth,
        quality=payload.quality,
        recommendations=payload.recommendations,
    )
    return chair_report_out(commission)


def _report_download(request, commission_id: int, fmt: str) -> HttpResponse:
    commission = get_commission_for_report(request.auth, commission_id)
    language = request.GET.get("lang") or "kk"
    if language not in services.LANGUAGES:
        raise DomainError(_("The report is made in kk, ru or en."), "invalid", 422)
    data = report.report_render(commission, fmt, language)
    name = f"chair-report-{commission.code}-{language}"
    return document_response(data, fmt, name, inline_pdf=True)


@router.get(
    "/commissions/{commission_id}/report.pdf",
    response={404: ErrorOut, 422: ErrorOut},
    openapi_extra=download("application/pdf", "The chair's report (PDF)"),
)
def chair_report_as_pdf_file(request, commission_id: int):
    """The chair's report as PDF, made now in `?lang=kk|ru|en` (the chair, the registrar)."""
    return _report_download(request, commission_id, "pdf")


@router.get(
    "/commissions/{commission_id}/report.docx",
    response={404: ErrorOut, 422: ErrorOut},
    openapi_extra=download(DOCX, "The chair's report (DOCX)"),
)
def chair_report_as_docx_file(request, commission_id: int):
    """The chair's report as an editable DOCX; the same rules as the PDF."""
    return _report_download(request, commission_id, "docx")


@router.post(
    "/commissions/{commission_id}/report/sign",
    response={200: ChairReportSignOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut},
)
def chair_report_sign(
    request,
    commission_id: int,
    language: Form[str] = "kk",
    cms: File[UploadedFile | None] = None,
):
    """The chair signs the report in `language` (kk, ru or en; a form field), optionally
    with a detached ЭЦП (multipart `cms`) over the copy's PDF: the next numbered copy, its
    bytes stored. The same report signed again answers its copy (`created: false`). Before
    any announced result `409 not_announced`; anyone but the chair 404."""
    commission = get_commission_for_report(request.auth, commission_id, write=True)
    data = None
    if cms is not None:
        if cms.size > MAX_CMS_BYTES:
            raise DomainError(_("The signature file is too large."), "too_large", 413)
        data = cms.read()
        if not data:
            raise DomainError(_("The signature file is empty."), "invalid", 422)
    copy, created = services.chair_report_sign(
        commission=commission, actor=request.auth, language=language, cms=data
    )
    return copy_out(copy) | {"created": created}


def _copy_download(request, copy_id: int, fmt: str) -> HttpResponse:
    copy = get_report_copy(request.auth, copy_id)
    data = bytes(copy.pdf if fmt == "pdf" else copy.docx)
    return document_response(
        data, fmt, copy_file_name(copy), inline_pdf=True, sha256=copy_sha256(copy, fmt)
    )


@router.get(
    "/report-copies/{copy_id}.pdf",
    response={404: ErrorOut},
    openapi_extra={"responses": download("application/pdf", "A signed copy (PDF)")["responses"]},
)
def chair_report_copy_as_pdf_file(request, copy_id: int):
    """A signed copy of the chair's report: the bytes stored at the signature, whose SHA-256
    the report lists (the chair, the registrar)."""
    return _copy_download(request, copy_id, "pdf")


@router.get(
    "/report-copies/{copy_id}.docx",
    response={404: ErrorOut},
    openapi_extra={"responses": download(DOCX, "A signed copy (DOCX)")["responses"]},
)
def chair_report_copy_as_docx_file(request, copy_id: int):
    """A signed copy as DOCX; the same rules as the PDF."""
    return _copy_download(request, copy_id, "docx")
