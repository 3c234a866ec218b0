"""Grading over JSON (CONTRACT.md; R-15.1, R-16.1, R-26.1): members' own scores, the chair's
final grade and announcement, the student's result, the protocol."""

from datetime import datetime

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from attestation.api.schemas import ErrorOut, download
from attestation.api.types import text
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_examinee_for_student,
    get_sitting_for_registrar_or_staff,
    get_sitting_for_staff,
)
from attestation.commissions.models import Membership
from attestation.core.errors import DomainError
from attestation.grading import services
from attestation.grading.board import examinee_board
from attestation.grading.scale import MAX_SCORE, MIN_SCORE, grade_for
from attestation.records.sitting import protocol_docx, protocol_pdf

router = Router(tags=["grading"])
R = Membership.Role
EXAMINERS = (R.CHAIR, R.MEMBER)
# The chair decides; the deputy chair for a chair marked absent (K-1; the service checks).
ACTING = (R.CHAIR, R.DEPUTY)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ScoreIn(Schema):
    score: int = Field(..., ge=MIN_SCORE, le=MAX_SCORE, strict=True)
    comment: text(2000) = ""
    additional_questions: text(2000) | None = None


class ScoreOut(Schema):
    examinee_id: int
    member: str
    score: int
    comment: str
    additional_questions: str
    updated_at: datetime


class MemberScore(Schema):
    member: str
    full_name: str
    score: int
    comment: str


class ScoresRecusal(Schema):
    member: str
    full_name: str
    reason: str
    automatic: bool  # the thesis's supervisor, recused by the rule (K-3)


class ScoresDissent(Schema):
    member: str
    full_name: str
    text: str
    recorded_at: datetime


class ScoresOut(Schema):
    own: ScoreOut | None
    visible: bool
    scores: list[MemberScore]
    mean: int | None
    spread: int | None
    disagreement: bool
    final_score: int | None
    recused: bool  # the caller does not grade this examinee (K-3)
    recusals: list[ScoresRecusal]
    dissents: list[ScoresDissent]  # the chair: every one; a member: their own


class GradeOut(Schema):
    score: int
    letter: str
    points: float
    word: str


class FinalIn(Schema):
    score: int = Field(..., ge=MIN_SCORE, le=MAX_SCORE, strict=True)
    reason: text(2000) = ""


class FinalOut(GradeOut):
    examinee_id: int
    final_set_at: datetime | None
    announced: bool


class AnnounceOut(Schema):
    sitting_id: int
    status: str
    announce_at: datetime | None
    announced_at: datetime | None


class MissingOut(Schema):
    examinee_id: int
    position: int
    full_name: str


class FinalsMissingOut(ErrorOut):
    missing: list[MissingOut] = []  # with `finals_missing`; `no_quorum` has none


class AnnouncementIn(Schema):
    announce_at: datetime


def _score_out(row) -> dict:
    return {
        "examinee_id": row.examinee_id,
        "member": row.member.username,
        "score": row.score,
        "comment": row.comment,
        "additional_questions": row.additional_questions,
        "updated_at": row.updated_at,
    }


def _sitting_out(sitting) -> dict:
    return {
        "sitting_id": sitting.pk,
        "status": sitting.status,
        "announce_at": sitting.announce_at,
        "announced_at": sitting.announced_at,
    }


@router.post(
    "/examinees/{examinee_id}/scores",
    response={200: ScoreOut, 201: ScoreOut, **ERRORS},
)
def score_set(request, examinee_id: int, payload: ScoreIn):
    """The caller's own score, 0–100 (R-15.1): member or chair of the examinee's commission.
    201 the first time, 200 on an update."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, EXAMINERS)
    row, created = services.score_set(
        examinee=examinee,
        member=request.auth,
        score=payload.score,
        comment=payload.comment,
        additional_questions=payload.additional_questions,
    )
    return (201 if created else 200), _score_out(row)


@router.get("/examinees/{examinee_id}/scores", response={200: ScoresOut, **ERRORS})
def scores(request, examinee_id: int):
    """The scores as the caller may see them: a member sees the others' only after entering
    their own; the chair sees all. Also the conflicts of interest declared (K-3: everyone on
    the commission sees them) and the dissenting opinions (K-4: the chair sees all of them, a
    member their own)."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, EXAMINERS)
    board = examinee_board(examinee, request.auth)
    row = board["row"]
    return {
        "own": _score_out(row.own) if row.own else None,
        "visible": row.scores_visible,
        "scores": [
            {
                "member": s.member.username,
                "full_name": s.member.display_name,
                "score": s.score,
                "comment": s.comment,
            }
            for s in row.scores
        ]
        if row.scores_visible
        else [],
        "mean": row.mean if row.scores_visible else None,
        "spread": row.spread if row.scores_visible else None,
        "disagreement": row.disagreement if row.scores_visible else False,
        "final_score": row.examinee.final_score if row.final_visible else None,
        "recused": row.recused,
        "recusals": [
            {
                "member": r.user.username,
                "full_name": r.user.display_name,
                "reason": r.reason_text,
                "automatic": r.automatic,
            }
            for r in row.recusals
        ],
        "dissents": [
            {
                "member": d.member.username,
                "full_name": d.member.display_name,
                "text": d.text,
                "recorded_at": d.recorded_at,
            }
            for d in row.dissents
            if board["viewer"].is_chair or d.member_id == request.auth.pk
        ],
    }


@router.post("/examinees/{examinee_id}/final", response={200: FinalOut, **ERRORS})
def final_set(request, examinee_id: int, payload: FinalIn):
    """The commission's grade after discussion, set by the chair (R-16.1, K-4), or by the
    deputy chair when the chair is marked absent (else 409 `chair_present`). 409 `no_quorum`
    while fewer than two thirds of the members (without the recused) are present; 422
    `reason_required` when the grade is further than the disagreement threshold from the
    proposed one (the mean of the present, non-recused members' scores) without a `reason`.
    After the announcement a change needs a `reason`; the student is told."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, ACTING)
    examinee = services.final_set(
        examinee=examinee, actor=request.auth, score=payload.score, reason=payload.reason
    )
    return {
        **grade_for(examinee.final_score).as_dict(),
        "examinee_id": examinee.pk,
        "final_set_at": examinee.final_set_at,
        "announced": examinee.sitting.announced_at is not None,
    }


@router.post(
    "/sittings/{sitting_id}/announce",
    response={200: AnnounceOut, 409: FinalsMissingOut, 403: ErrorOut, 404: ErrorOut},
)
def announce(request, sitting_id: int):
    """Publish the sitting's results (R-16.1, R-26.1): the chair, or the deputy chair for an
    absent chair. 409 `finals_missing` lists who has no final grade yet; 409 `no_quorum`
    while the quorum (two thirds, K-2) is not present."""
    sitting = get_sitting_for_staff(request.auth, sitting_id, ACTING)
    try:
        sitting = services.sitting_announce(sitting=sitting, actor=request.auth)
    except services.FinalsMissing as error:
        return 409, {
            "detail": error.message,
            "code": error.code,
            "missing": [
                {"examinee_id": e.pk, "position": e.position, "full_name": e.student.full_name}
                for e in error.missing
            ],
        }
    return _sitting_out(sitting)


@router.post("/sittings/{sitting_id}/announcement", response={200: AnnounceOut, **ERRORS})
def announcement_time(request, sitting_id: int, payload: AnnouncementIn):
    """When the results are announced (chair or technical secretary); students see it in the
    cabinet with the conference link."""
    sitting = get_sitting_for_staff(request.auth, sitting_id, (R.CHAIR, R.SECRETARY))
    sitting = services.announcement_time_set(
        sitting=sitting, actor=request.auth, announce_at=payload.announce_at
    )
    return _sitting_out(sitting)


@router.get("/examinees/{examinee_id}/result", response={200: GradeOut, 404: ErrorOut})
def result(request, examinee_id: int):
    """The student's own result on the Kazakh scale; 404 until the results are announced."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    if examinee.sitting.announced_at is None or examinee.final_score is None:
        raise DomainError(_("The results have not been announced yet."), "not_announced", 404)
    return grade_for(examinee.final_score).as_dict()


def _protocol_sitting(request, sitting_id: int):
    return get_sitting_for_registrar_or_staff(request.auth, sitting_id)


def _protocol_language(request) -> str:
    language = request.GET.get("lang", "kk")
    if language not in ("kk", "ru", "en"):
        raise DomainError(_("The protocol is made in kk, ru or en."), "invalid", 422)
    return language


@router.get(
    "/sittings/{sitting_id}/protocol.pdf",
    response={404: ErrorOut, 422: ErrorOut},
    openapi_extra=download("application/pdf", "The protocol (PDF)"),
)
def protocol_as_pdf(request, sitting_id: int):
    """The sitting's protocol as PDF, `?lang=kk|ru` (default kk): commission and registrar."""
    sitting = _protocol_sitting(request, sitting_id)
    language = _protocol_language(request)
    response = HttpResponse(
        protocol_pdf(sitting, language, request.auth), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="protocol-{sitting.code}-{language}.pdf"'
    response["Cache-Control"] = "private, no-cache"
    return response


@router.get(
    "/sittings/{sitting_id}/protocol.docx",
    response={404: ErrorOut, 422: ErrorOut},
    openapi_extra=download(DOCX, "The protocol (DOCX)"),
)
def protocol_as_docx(request, sitting_id: int):
    """The protocol as an editable DOCX, `?lang=kk|ru` (default kk)."""
    sitting = _protocol_sitting(request, sitting_id)
    language = _protocol_language(request)
    response = HttpResponse(protocol_docx(sitting, language, request.auth), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="protocol-{sitting.code}-{language}.docx"'
    )
    response["Cache-Control"] = "private, no-cache"
    return response
