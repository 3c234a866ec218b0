"""The live queue in the API (CONTRACT.md; R-13.1, R-24.1).

`GET /sittings/{id}/queue`: the commission sees everyone; an examinee of the sitting sees only
their own item, and `current` only as `{is_me}` — never another examinee's name or id.
"""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema

from attestation.commissions.access import get_examinee_for_staff, sittings_for_staff
from attestation.commissions.models import Examinee, Sitting
from attestation.live import services
from attestation.live.queue import LIVE_FORMS, current_of, questioning_start, queue_items

router = Router(tags=["live"])


class ItemOut(Schema):
    examinee_id: int
    position: int
    starts_at: datetime | None
    state: str
    full_name: str | None = None  # commission only


class CurrentOut(Schema):
    is_me: bool
    examinee_id: int | None = None  # commission only
    full_name: str | None = None  # commission only
    started_at: datetime | None = None


class QueueOut(Schema):
    questioning_starts_at: datetime | None = None
    questioning_start_provisional: bool = False
    current: CurrentOut | None = None
    items: list[ItemOut]


class NextIn(Schema):
    expected_current_id: int | None = None


class CalledOut(Schema):
    examinee_id: int | None


def _sitting_for(user, sitting_id: int) -> tuple[Sitting, Examinee | None]:
    """The commission's sitting, or the sitting of the caller's own examinee record."""
    sitting = sittings_for_staff(user).filter(pk=sitting_id, form__in=LIVE_FORMS).first()
    if sitting is not None:
        return sitting, None
    own = (
        Examinee.objects.select_related("sitting")
        .filter(sitting_id=sitting_id, sitting__form__in=LIVE_FORMS, student__user=user)
        .first()
    )
    if own is None:
        raise Http404
    return own.sitting, own


@router.get("/sittings/{sitting_id}/queue", response=QueueOut)
def queue(request, sitting_id: int):
    sitting, own = _sitting_for(request.auth, sitting_id)
    start = questioning_start(sitting)
    items = queue_items(sitting, start=start)
    current = current_of(items)
    if own is None:
        rows = [
            {
                "examinee_id": i.examinee.pk,
                "position": i.examinee.position,
                "starts_at": i.starts_at,
                "state": i.state,
                "full_name": i.examinee.student.full_name,
            }
            for i in items
        ]
        now = current and {
            "is_me": False,
            "examinee_id": current.examinee.pk,
            "full_name": current.examinee.student.full_name,
            "started_at": current.starts_at,
        }
    else:
        rows = [
            {
                "examinee_id": i.examinee.pk,
                "position": i.examinee.position,
                "starts_at": i.starts_at,
                "state": i.state,
            }
            for i in items
            if i.examinee.pk == own.pk
        ]
        now = current and {"is_me": current.examinee.pk == own.pk}
    return {
        "questioning_starts_at": start.at,
        "questioning_start_provisional": start.provisional,
        "current": now or None,
        "items": rows,
    }


@router.post("/sittings/{sitting_id}/queue/next", response=CalledOut)
def call_next(request, sitting_id: int, payload: NextIn):
    """Chair or secretary: finish the current examinee, call the next by the list. Send the
    id of whoever you saw answering (`expected_current_id`); `409 queue_moved` otherwise."""
    sitting = sittings_for_staff(request.auth).filter(pk=sitting_id).first()
    if sitting is None:
        raise Http404
    called = services.queue_call_next(
        sitting=sitting, actor=request.auth, expected_current_id=payload.expected_current_id
    )
    return {"examinee_id": called.pk if called else None}


@router.post("/examinees/{examinee_id}/questioning/finish", response=CalledOut)
def finish(request, examinee_id: int):
    examinee = get_examinee_for_staff(request.auth, examinee_id)
    done = services.questioning_finish(examinee=examinee, actor=request.auth)
    return {"examinee_id": done.pk}
