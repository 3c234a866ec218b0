"""The commission's decision over JSON (CONTRACT.md "The commission's decision", SPEC K-1 …
K-4): the sitting with its quorum, attendance, conflicts of interest, dissenting opinions."""

from datetime import datetime

from ninja import Field, Router, Schema

from attestation.api.schemas import ErrorOut
from attestation.api.types import said
from attestation.commissions import decision, quorum
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_sitting_for_registrar_or_staff,
    get_sitting_for_staff,
)
from attestation.commissions.models import Membership

router = Router(tags=["decision"])
R = Membership.Role
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class QuorumOut(Schema):
    present: int
    required: int
    met: bool
    members: int


class SittingAttendanceOut(Schema):
    user_id: int
    full_name: str
    role: str
    present: bool | None  # None: not marked yet


class SittingDetailOut(Schema):
    id: int
    kind: str
    starts_at: datetime
    status: str
    quorum: QuorumOut
    attendance: list[SittingAttendanceOut]


class AttendanceIn(Schema):
    user_id: int = Field(..., strict=True)
    present: bool = Field(..., strict=True)


class AttendanceOut(Schema):
    user_id: int
    present: bool
    quorum: QuorumOut


class RecusalIn(Schema):
    reason: said(500)


class RecusalOut(Schema):
    id: int
    examinee_id: int
    user_id: int
    reason: str
    quorum: QuorumOut


class DissentIn(Schema):
    text: said(5000)


class DissentOut(Schema):
    id: int
    examinee_id: int
    member_id: int
    text: str
    recorded_at: datetime


@router.get("/sittings/{sitting_id}", response={200: SittingDetailOut, 404: ErrorOut})
def sitting_detail(request, sitting_id: int):
    """The sitting with its quorum (K-2): commission and registrar. `present` counts the
    members marked present; `required` is two thirds of the members (chair, deputy chair,
    members — not the secretary), rounded up."""
    sitting = get_sitting_for_registrar_or_staff(request.auth, sitting_id)
    memberships = quorum.voting_memberships(sitting.commission_id)
    marks = quorum.attendance_of(sitting)
    return {
        "id": sitting.pk,
        "kind": sitting.form,
        "starts_at": sitting.starts_at,
        "status": sitting.status,
        "quorum": quorum.sitting_quorum(sitting, memberships=memberships, marks=marks).as_dict(),
        "attendance": [
            {
                "user_id": m.user_id,
                "full_name": m.user.display_name,
                "role": m.role,
                "present": marks.get(m.user_id),
            }
            for m in memberships
        ],
    }


@router.post("/sittings/{sitting_id}/attendance", response={200: AttendanceOut, **ERRORS})
def attendance_set(request, sitting_id: int, payload: AttendanceIn):
    """The technical secretary marks a member of the commission present or absent (K-2);
    answers the sitting's quorum. `user_id` not of the commission → 422."""
    sitting = get_sitting_for_staff(request.auth, sitting_id, (R.SECRETARY,))
    row = decision.attendance_set(
        sitting=sitting, user_id=payload.user_id, present=payload.present, actor=request.auth
    )
    return {
        "user_id": row.user_id,
        "present": row.present,
        "quorum": quorum.sitting_quorum(sitting).as_dict(),
    }


@router.post(
    "/examinees/{examinee_id}/recusal", response={200: RecusalOut, 201: RecusalOut, **ERRORS}
)
def recusal_declare(request, examinee_id: int, payload: RecusalIn):
    """The caller (member, deputy chair or chair) declares a conflict of interest with this
    examinee (K-3): 201; a repeat updates the reason, 200. Their score is removed, later
    scores are refused (409 `recused`), and `quorum` is the examinee's, without them."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, quorum.VOTING)
    recusal, created = decision.recusal_declare(
        examinee=examinee, actor=request.auth, reason=payload.reason
    )
    return (201 if created else 200), {
        "id": recusal.pk,
        "examinee_id": examinee.pk,
        "user_id": recusal.user_id,
        "reason": recusal.reason,
        "quorum": quorum.examinee_quorum(examinee).as_dict(),
    }


@router.post(
    "/examinees/{examinee_id}/dissent", response={200: DissentOut, 201: DissentOut, **ERRORS}
)
def dissent_record(request, examinee_id: int, payload: DissentIn):
    """A member's dissenting opinion on the decision about this examinee (K-4): 201; a
    second call replaces the text, 200. Shown to the chair; the protocol carries it."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, (R.MEMBER, R.DEPUTY))
    dissent, created = decision.dissent_record(
        examinee=examinee, member=request.auth, text=payload.text
    )
    return (201 if created else 200), {
        "id": dissent.pk,
        "examinee_id": examinee.pk,
        "member_id": dissent.member_id,
        "text": dissent.text,
        "recorded_at": dissent.recorded_at,
    }
