"""Accommodations over JSON (CONTRACT.md "The defence dossier and the graduate", SPEC K-14):
extra writing time for one examinee, set by the technical secretary or the chair."""

from datetime import datetime

from ninja import Field, Router, Schema

from attestation.api.schemas import ErrorOut
from attestation.api.types import said
from attestation.commissions.access import get_examinee_for_staff
from attestation.commissions.accommodations import REASON_MAX, examinee_extra_time_set
from attestation.commissions.deadlines import answer_deadline, upload_closes_at
from attestation.commissions.models import Membership

router = Router(tags=["accommodations"])
ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Who gives extra time: the sitting's technical secretary or the commission's chair.
EXTRA_TIME_ROLES = (Membership.Role.SECRETARY, Membership.Role.CHAIR)


class ExtraTimeIn(Schema):
    # Whole minutes; the sitting's writing time is the most (checked by the service, with its
    # own message: the limit depends on the sitting). 0 removes the extra time.
    minutes: int = Field(..., strict=True, json_schema_extra={"minimum": 0})
    reason: said(REASON_MAX)


class ExtraTimeOut(Schema):
    examinee_id: int
    extra_minutes: int
    extra_reason: str
    answer_deadline: datetime | None  # null before the draw
    upload_closes_at: datetime | None


@router.post("/examinees/{examinee_id}/extra-time", response={200: ExtraTimeOut, **ERRORS})
def extra_time_set(request, examinee_id: int, payload: ExtraTimeIn):
    """Give one examinee extra writing time (K-14), with a reason: a later value replaces the
    earlier, 0 removes it. The student's countdown and upload window move at once.
    `answer_deadline` is null before the draw. 409 once the answer is submitted or the results
    are announced; 422 for minutes outside 0 … the sitting's writing time."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, EXTRA_TIME_ROLES)
    examinee = examinee_extra_time_set(
        examinee=examinee, minutes=payload.minutes, reason=payload.reason, actor=request.auth
    )
    return {
        "examinee_id": examinee.pk,
        "extra_minutes": examinee.extra_minutes,
        "extra_reason": examinee.extra_reason,
        "answer_deadline": answer_deadline(examinee),
        "upload_closes_at": upload_closes_at(examinee),
    }
