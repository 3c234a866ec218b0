"""The defence in the API (CONTRACT.md; R-19.1, R-22.2, R-25.1)."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from attestation.api.types import Reason, Text, text
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_examinee_for_student,
    get_examinee_for_student_or_staff,
    sittings_for_staff,
)
from attestation.defense import services
from attestation.defense.models import Interruption, WrittenQuestion

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
