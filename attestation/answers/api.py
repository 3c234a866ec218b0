"""The written answer over JSON (CONTRACT.md; R-14.1).

Two ways in: the signed-in student (and, to read, the sitting's commission) under
`/examinees/{id}/…`, and the phone under `/phone/{token}/…` with no sign-in: the signed,
expiring, revocable token of an UploadLink stands for the student, for page work only.
"""

from datetime import datetime

import segno
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from attestation.answers import services, ui
from attestation.answers.access import viewer_examinee
from attestation.answers.models import UploadLink
from attestation.api.schemas import ErrorOut
from attestation.api.types import Reason
from attestation.commissions.access import get_examinee_for_staff, get_examinee_for_student
from attestation.commissions.deadlines import upload_closes_at
from attestation.commissions.models import Examinee, Membership
from attestation.core.errors import DomainError

router = Router(tags=["answers"])

ERRORS = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
}

# `file` is optional in the signatures only so that scope (404) is checked before the body;
# without one the answer is 400 `no_file`, so the schema says it is required.
FILE_REQUIRED = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {"required": ["file"]}}},
    }
}


class PageOut(Schema):
    number: int
    sha256: str
    warnings: list[str]
    url: str
    thumb_url: str
    width: int
    height: int
    size: int
    uploaded_at: datetime


class OrderIn(Schema):
    numbers: list[int]


class ReceiptPage(Schema):
    number: int
    sha256: str


class ReceiptOut(Schema):
    status: str
    submitted_at: datetime
    pages: list[ReceiptPage]
    pdf_sha256: str
    pdf_pages: int
    pdf_url: str


class ReasonIn(Schema):
    reason: Reason


class ExtendIn(Schema):
    until: datetime
    reason: Reason


class StateOut(Schema):
    status: str
    upload_closes_at: datetime | None


class LinkOut(Schema):
    url: str
    svg: str
    expires_at: datetime


class RevokedOut(Schema):
    revoked: int


def _required(file):
    """The file is optional in the signature so that scope (404) is checked before the body:
    objects outside the caller's scope answer 404 whatever was sent."""
    if file is None:
        raise DomainError(_("Choose a photo to upload."), "no_file", 400)
    return file


def _state(examinee: Examinee) -> dict:
    return {"status": examinee.status, "upload_closes_at": upload_closes_at(examinee)}


# --- The student (and the commission, to read) -----------------------------------------------


@router.get("/examinees/{examinee_id}/pages", response={200: list[PageOut], **ERRORS})
def pages_list(request, examinee_id: int):
    """The uploaded pages in order: that student; chair, members, secretary of that sitting."""
    return ui.pages_data(viewer_examinee(request.auth, examinee_id))


@router.post(
    "/examinees/{examinee_id}/pages",
    response={200: PageOut, 201: PageOut, **ERRORS},
    openapi_extra=FILE_REQUIRED,
)
def page_add(
    request,
    examinee_id: int,
    file: File[UploadedFile] = None,
    number: Form[int] = None,
):
    """Upload one photographed page (multipart `file`, optional `number`: the next free one
    when left out). The same photo again is a retry: 200 with the page already stored."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    page, created = services.answer_page_add(
        examinee=examinee, file=_required(file), number=number, actor=request.auth
    )
    return (201 if created else 200), ui.page_data(page)


@router.post("/examinees/{examinee_id}/pages/order", response={200: list[PageOut], **ERRORS})
def pages_reorder(request, examinee_id: int, payload: OrderIn):
    """New order: every current page number once, in the order wanted; renumbered 1…n."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    services.answer_pages_reorder(examinee=examinee, numbers=payload.numbers, actor=request.auth)
    return ui.pages_data(examinee)


@router.delete("/examinees/{examinee_id}/pages/{number}", response={200: list[PageOut], **ERRORS})
def page_delete(request, examinee_id: int, number: int):
    """Delete a page; the later pages move up. Returns the pages left."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    services.answer_page_delete(examinee=examinee, number=number, actor=request.auth)
    return ui.pages_data(examinee)


@router.post(
    "/examinees/{examinee_id}/pages/{number}/replace",
    response={200: PageOut, **ERRORS},
    openapi_extra=FILE_REQUIRED,
)
def page_replace(request, examinee_id: int, number: int, file: File[UploadedFile] = None):
    """Retake: a new photo for page `number`."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    page = services.answer_page_replace(
        examinee=examinee, number=number, file=_required(file), actor=request.auth
    )
    return ui.page_data(page)


@router.post("/examinees/{examinee_id}/submit", response={200: ReceiptOut, **ERRORS})
def submit(request, examinee_id: int):
    """Close the answer and assemble the PDF; the receipt lists every SHA-256. 409 `no_pages`
    without pages. Sent again once submitted: 200 with the same receipt, nothing changed."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    services.answer_submit(examinee=examinee, actor=request.auth)
    examinee.refresh_from_db()
    return ui.receipt(examinee)


@router.get("/examinees/{examinee_id}/receipt", response={200: ReceiptOut, **ERRORS})
def receipt(request, examinee_id: int):
    """The submission receipt; 404 until the answer is submitted."""
    found = ui.receipt(viewer_examinee(request.auth, examinee_id))
    if found is None:
        raise Http404
    return found


@router.post("/examinees/{examinee_id}/upload-links", response={201: LinkOut, **ERRORS})
def upload_link_new(request, examinee_id: int):
    """A phone link and its QR code (inline SVG): the phone uploads without signing in."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    link, token = services.upload_link_create(examinee=examinee, actor=request.auth)
    url = request.build_absolute_uri(reverse("answers:phone", kwargs={"token": token}))
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, svgclass="answers__qr-svg")
    return 201, {"url": url, "svg": svg, "expires_at": link.expires_at}


@router.delete("/examinees/{examinee_id}/upload-links", response={200: RevokedOut, **ERRORS})
def upload_links_revoke(request, examinee_id: int):
    """Stop every phone link of this answer at once."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    links = UploadLink.objects.filter(examinee=examinee, revoked_at__isnull=True)
    for link in links:
        services.upload_link_revoke(link=link, actor=request.auth)
    return {"revoked": len(links)}


# --- The technical secretary ---------------------------------------------------------------


def _secretary_examinee(user, examinee_id) -> Examinee:
    return get_examinee_for_staff(user, examinee_id, roles=(Membership.Role.SECRETARY,))


@router.post("/examinees/{examinee_id}/upload-window", response={200: StateOut, **ERRORS})
def upload_window(request, examinee_id: int, payload: ExtendIn):
    """Keep one examinee's upload window open until `until` (with a reason, audited)."""
    examinee = _secretary_examinee(request.auth, examinee_id)
    examinee = services.upload_window_extend(
        examinee=examinee, until=payload.until, actor=request.auth, reason=payload.reason
    )
    return _state(examinee)


@router.post("/examinees/{examinee_id}/reopen", response={200: StateOut, **ERRORS})
def reopen(request, examinee_id: int, payload: ReasonIn):
    """Reopen a submitted answer (with a reason, audited)."""
    examinee = _secretary_examinee(request.auth, examinee_id)
    examinee = services.answer_reopen(examinee=examinee, actor=request.auth, reason=payload.reason)
    return _state(examinee)


# --- The phone: a token instead of a sign-in -------------------------------------------------


def _phone(token: str) -> tuple[Examinee, object]:
    link = services.upload_link_resolve(token)
    return link.examinee, link.examinee.student.user


@router.get("/phone/{token}/pages", auth=None, response={200: list[PageOut], **ERRORS})
def phone_pages(request, token: str):
    examinee, _student = _phone(token)
    return ui.pages_data(examinee, token=token)


@router.post(
    "/phone/{token}/pages",
    auth=None,
    response={200: PageOut, 201: PageOut, **ERRORS},
    openapi_extra=FILE_REQUIRED,
)
def phone_page_add(request, token: str, file: File[UploadedFile] = None, number: Form[int] = None):
    examinee, student = _phone(token)
    page, created = services.answer_page_add(
        examinee=examinee, file=_required(file), number=number, actor=student, via="phone"
    )
    return (201 if created else 200), ui.page_data(page, token=token)


@router.post("/phone/{token}/pages/order", auth=None, response={200: list[PageOut], **ERRORS})
def phone_pages_reorder(request, token: str, payload: OrderIn):
    examinee, student = _phone(token)
    services.answer_pages_reorder(
        examinee=examinee, numbers=payload.numbers, actor=student, via="phone"
    )
    return ui.pages_data(examinee, token=token)


@router.delete("/phone/{token}/pages/{number}", auth=None, response={200: list[PageOut], **ERRORS})
def phone_page_delete(request, token: str, number: int):
    examinee, student = _phone(token)
    services.answer_page_delete(examinee=examinee, number=number, actor=student, via="phone")
    return ui.pages_data(examinee, token=token)


@router.post(
    "/phone/{token}/pages/{number}/replace",
    auth=None,
    response={200: PageOut, **ERRORS},
    openapi_extra=FILE_REQUIRED,
)
def phone_page_replace(request, token: str, number: int, file: File[UploadedFile] = None):
    examinee, student = _phone(token)
    page = services.answer_page_replace(
        examinee=examinee, number=number, file=_required(file), actor=student, via="phone"
    )
    return ui.page_data(page, token=token)
