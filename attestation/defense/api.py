"""The defence in the API (CONTRACT.md; R-19.1, R-22.2, R-25.1; the dossier, K-8)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from attestation.api.schemas import ErrorOut
from attestation.api.types import IS_TEXT, Reason, Text, text
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_examinee_for_student,
    get_examinee_for_student_or_staff,
    sittings_for_staff,
)
from attestation.commissions.models import Sitting
from attestation.core.errors import DomainError
from attestation.core.input import check_strings, json_loads
from attestation.defense import dossier, services
from attestation.defense.access import get_examinee_for_dossier
from attestation.defense.models import Dossier, Interruption, WrittenQuestion
from attestation.grading.scale import grade_for

router = Router(tags=["defense"])


class ThesisOut(Schema):
    sha256: str
    pages: int


class QuestionIn(Schema):
    text: Reason
    asked_for: text(200) = ""


class AnswerIn(Schema):
    answer: Text


class QuestionOut(Schema):
    id: int
    asked_for: str
    text: str
    asked_at: datetime
    answer: str
    answered_at: datetime | None


class InterruptIn(Schema):
    reason: Text = ""


class InterruptionDecisionIn(Schema):
    outcome: Literal[tuple(Interruption.Outcome.values)]
    reason: Reason


class InterruptionOut(Schema):
    id: int
    started_at: datetime
    outcome: str
    reason: str
    ended_at: datetime | None


@router.post("/examinees/{examinee_id}/thesis", response={201: ThesisOut})
def thesis_upload(request, examinee_id: int, file: UploadedFile = File(...)):  # noqa: B008
    """The student's thesis PDF (R-19.1); `409 deadline_passed` after the deadline."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    thesis = services.thesis_upload(examinee=examinee, file=file, actor=request.auth)
    return 201, {"sha256": thesis.sha256, "pages": thesis.pages}


@router.get("/examinees/{examinee_id}/questions", response=list[QuestionOut])
def questions(request, examinee_id: int):
    examinee = get_examinee_for_student_or_staff(request.auth, examinee_id)
    return list(examinee.written_questions.all())


@router.post("/examinees/{examinee_id}/questions", response={201: QuestionOut})
def question_post(request, examinee_id: int, payload: QuestionIn):
    """The secretary (or chair) relays a member's question in writing (R-22.2)."""
    examinee = get_examinee_for_staff(request.auth, examinee_id)
    question = services.written_question_post(
        examinee=examinee, actor=request.auth, text=payload.text, asked_for=payload.asked_for
    )
    return 201, question


@router.post("/questions/{question_id}/answer", response=QuestionOut)
def question_answer(request, question_id: int, payload: AnswerIn):
    question = get_object_or_404(
        WrittenQuestion.objects.select_related("examinee"),
        pk=question_id,
        examinee__student__user=request.auth,
    )
    return services.written_question_answer(
        question=question, actor=request.auth, answer=payload.answer
    )


@router.post("/examinees/{examinee_id}/interruption", response={201: InterruptionOut})
def interruption_report(request, examinee_id: int, payload: InterruptIn):
    """R-25.1: "my connection dropped — I ask to continue" (the student or the secretary)."""
    examinee = get_examinee_for_student_or_staff(request.auth, examinee_id)
    row = services.interruption_report(examinee=examinee, actor=request.auth, reason=payload.reason)
    return 201, row


@router.post("/interruptions/{interruption_id}/decision", response=InterruptionOut)
def interruption_resolve(request, interruption_id: int, payload: InterruptionDecisionIn):
    interruption = get_object_or_404(
        Interruption.objects.select_related("examinee"),
        pk=interruption_id,
        examinee__sitting__in=sittings_for_staff(request.auth),
    )
    return services.interruption_resolve(
        interruption=interruption,
        actor=request.auth,
        outcome=payload.outcome,
        reason=payload.reason,
    )


# --- The defence dossier (SPEC K-8; CONTRACT.md "The defence dossier and the graduate") ---


class DossierFilesOut(Schema):
    supervisor_feedback: bool
    review: bool
    originality_report: bool


class DossierOut(Schema):
    examinee_id: int
    complete: bool
    missing: list[str]
    missing_labels: list[str]
    over_threshold: bool
    thesis: bool
    title_kk: str
    title_ru: str
    title_en: str
    supervisor: str
    reviewer: str
    reviewer_organisation: str
    reviewer_grade: int | None
    reviewer_letter: str | None
    originality_system: str
    similarity: float | None
    similarity_1: float | None
    similarity_2: float | None
    department_decision: str
    decided_by: str | None
    decided_at: datetime | None
    files: DossierFilesOut
    active_content: list[str]


def _percent(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def dossier_out(examinee) -> dict:
    d = dossier.dossier_of(examinee) or Dossier(examinee_id=examinee.pk)
    state = dossier.dossier_state(examinee, d)
    return {
        "examinee_id": examinee.pk,
        **state.as_dict(),
        "thesis": "thesis" not in state.missing,
        "title_kk": examinee.thesis_topic,
        "title_ru": d.title_ru,
        "title_en": d.title_en,
        "supervisor": examinee.supervisor,
        "reviewer": examinee.reviewer,
        "reviewer_organisation": d.reviewer_organisation,
        "reviewer_grade": d.reviewer_grade,
        "reviewer_letter": (
            grade_for(d.reviewer_grade).letter if d.reviewer_grade is not None else None
        ),
        "originality_system": d.originality_system,
        "similarity": _percent(d.similarity),
        "similarity_1": _percent(d.similarity_1),
        "similarity_2": _percent(d.similarity_2),
        "department_decision": d.department_decision,
        "decided_by": d.decided_by.display_name if d.decided_by_id else None,
        "decided_at": d.decided_at,
        "files": {name: bool(getattr(d, name)) for name in dossier.FILES},
        "active_content": list(d.active_content or []),
    }


def _defense_only(examinee) -> None:
    if examinee.sitting.form != Sitting.Form.DEFENSE:
        raise DomainError(_("This is not a thesis defence."), "not_a_defense")


DOSSIER_BODY = {
    "type": "object",
    "properties": {
        **{
            name: {"type": "string", "maxLength": limit, "pattern": IS_TEXT}
            for name, (_where, _attr, limit) in dossier.TEXTS.items()
        },
        "reviewer_grade": {"type": "integer", "minimum": 0, "maximum": 100},
        "originality_system": {"type": "string", "enum": list(Dossier.System.values)},
        **{
            name: {"type": "number", "minimum": 0, "maximum": 100}
            for name in ("similarity", "similarity_1", "similarity_2")
        },
        "department_decision": {"type": "string", "enum": list(Dossier.Decision.values)},
        **{name: {"type": "string", "format": "binary"} for name in dossier.FILES},
    },
}


def _dossier_body(request) -> tuple[dict, dict]:
    """Multipart (with the PDFs) or JSON (values only); values as the service reads them.
    Fields the dossier does not have are ignored unread, as everywhere in the API."""
    if request.content_type.startswith("multipart/") or request.content_type.endswith(
        "x-www-form-urlencoded"
    ):
        data = request.POST.dict()
        files = {name: request.FILES.get(name) for name in dossier.FILES if name in request.FILES}
    else:
        data, files = json_loads(request.body or b"{}", text=False), {}
    if not isinstance(data, dict):
        raise DomainError(
            _("The request is not valid: send the dossier's fields as a form."), "invalid", 422
        )
    data = check_strings({k: v for k, v in data.items() if k in dossier.FIELDS})
    if any(isinstance(v, bool) or not isinstance(v, str | int | float) for v in data.values()):
        raise DomainError(
            _("The request is not valid: send the dossier's fields as a form."), "invalid", 422
        )
    return data, files


@router.get("/examinees/{examinee_id}/dossier", response=DossierOut)
def dossier_get(request, examinee_id: int):
    """The defence dossier (K-8) and whether it is complete: the commission of the sitting,
    the department of the student's programme, the student."""
    examinee = get_examinee_for_dossier(request.auth, examinee_id)
    _defense_only(examinee)
    return dossier_out(examinee)


@router.post(
    "/examinees/{examinee_id}/dossier",
    response={200: DossierOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut, 507: ErrorOut},
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {"schema": DOSSIER_BODY},
                "application/json": {"schema": DOSSIER_BODY},
            },
        }
    },
)
def dossier_post(request, examinee_id: int):
    """The technical secretary or the department enters the dossier (K-8), multipart: only
    the fields sent change ("" clears one). PDFs `supervisor_feedback`, `review`,
    `originality_report`; `reviewer_grade` 0–100; `originality_system`; `similarity` or, for
    StrikePlagiarism, `similarity_1` and `similarity_2` (percent); `department_decision`
    `admitted` | `not_admitted`. A bad value or file: 422, nothing stored."""
    examinee = get_examinee_for_dossier(request.auth, examinee_id)
    _defense_only(examinee)
    raw, files = _dossier_body(request)
    dossier.dossier_update(examinee=examinee, actor=request.auth, raw=raw, files=files)
    examinee.refresh_from_db()
    return 200, dossier_out(examinee)
