"""The exam room in the API (CONTRACT.md): identity, admission, entry, cards, the draw."""

from datetime import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError

from attestation.accounts.models import ApiToken
from attestation.accounts.services import api_token_user
from attestation.api.schemas import ErrorOut
from attestation.api.types import text
from attestation.cabinet.entry import entry_state, entry_state_by_token
from attestation.commissions import services
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_examinee_for_student,
    get_examinee_for_student_or_staff,
    get_sitting_for_staff,
)
from attestation.commissions.deadlines import answer_deadline
from attestation.commissions.models import Membership
from attestation.core.errors import DomainError
from attestation.tickets.services import (
    cards_count,
    examinee_draw,
    no_tickets,
    ticket_draw,
    ticket_questions,
)

router = Router(tags=["exam room"])
SECRETARY = (Membership.Role.SECRETARY,)


class ExamineeRow(Schema):
    examinee_id: int
    position: int
    full_name: str
    group: str
    status: str
    identity_verified: bool
    admitted: bool
    ticket_number: int | None
    # Accommodations (SPEC K-14): extra writing time in minutes; the exam language ("": any).
    extra_minutes: int = 0
    exam_language: str = ""


class IdentityIn(Schema):
    # Only `true` is recorded; `false` gets its own advice (below) rather than a type error.
    verified: bool = Field(json_schema_extra={"enum": [True]})
    note: text(500) = ""


class EntryOut(Schema):
    status: str
    status_label: str
    admitted: bool
    position: int
    rules_acknowledged: bool
    message: str


class CardOut(Schema):
    position: int


class DrawIn(Schema):
    position: int


class TicketOut(Schema):
    ticket_number: int
    questions: list[str]
    answer_deadline: datetime | None = None
    extra_minutes: int = 0  # included in answer_deadline (SPEC K-14)


class RulesOut(Schema):
    rules_acknowledged_at: datetime


def _row(examinee) -> dict:
    draw = getattr(examinee, "draw", None)  # a missing reverse one-to-one reads as None
    return {
        "examinee_id": examinee.pk,
        "position": examinee.position,
        "full_name": examinee.student.full_name,
        "group": examinee.student.group,
        "status": examinee.status,
        "identity_verified": examinee.identity_verified,
        "admitted": examinee.admitted,
        "ticket_number": draw.ticket.number if draw else None,
        "extra_minutes": examinee.extra_minutes,
        "exam_language": examinee.exam_language,
    }


def _ticket(examinee, draw) -> dict:
    return {
        "ticket_number": draw.ticket.number,
        # A draw made just now brings its questions along (tickets/pg_draw.py).
        "questions": getattr(draw, "question_texts", None) or ticket_questions(draw.ticket_id),
        "answer_deadline": answer_deadline(examinee, draw),
        "extra_minutes": examinee.extra_minutes,
    }


@router.get("/sittings/{sitting_id}/examinees", response=list[ExamineeRow])
def sitting_examinees(request, sitting_id: int):
    """The list in order (R-9.1), for the sitting's secretary, members and chair."""
    sitting = get_sitting_for_staff(request.auth, sitting_id)
    examinees = sitting.examinees.select_related("student__user", "draw__ticket").order_by(
        "position"
    )
    return [_row(e) for e in examinees]


@router.post("/examinees/{examinee_id}/identity", response=ExamineeRow)
def identity(request, examinee_id: int, payload: IdentityIn):
    """Record the identity check (R-3.1): ID shown, name and group stated."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, SECRETARY)
    if not payload.verified:
        raise DomainError(
            _(
                "Only a confirmed identity check is recorded; if the person does not match, "
                "do not admit them and record an incident."
            ),
            "invalid",
            422,
        )
    return _row(
        services.examinee_identify(examinee=examinee, actor=request.auth, note=payload.note)
    )


@router.post("/examinees/{examinee_id}/admit", response=ExamineeRow)
def admit(request, examinee_id: int):
    """Turn the student's entry green (R-9.1, R-9.2); 409 until identity is verified."""
    examinee = get_examinee_for_staff(request.auth, examinee_id, SECRETARY)
    return _row(services.examinee_admit(examinee=examinee, actor=request.auth))


@router.post("/examinees/{examinee_id}/absent", response=ExamineeRow)
def absent(request, examinee_id: int):
    examinee = get_examinee_for_staff(request.auth, examinee_id, SECRETARY)
    return _row(services.examinee_mark_absent(examinee=examinee, actor=request.auth))


@router.post("/examinees/{examinee_id}/rules", response=RulesOut)
def rules(request, examinee_id: int):
    """The student acknowledges the rules (R-2.1)."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    examinee = services.rules_acknowledge(examinee=examinee, actor=request.auth)
    return {"rules_acknowledged_at": examinee.rules_acknowledged_at}


# auth=None: the token is checked in the same query as the state (below); 401 without one.
@router.get("/examinees/{examinee_id}/entry", response={200: EntryOut, 401: ErrorOut}, auth=None)
def entry(request, examinee_id: int):
    """The red/green button (R-9.2), polled every few seconds by every waiting student: the
    hottest request of exam day. A bearer token is checked in the same single query that reads
    the state; a browser session takes the ordinary path."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        key = header[7:].strip()
        state = entry_state_by_token(examinee_id=examinee_id, token_hash=ApiToken.hash(key))
        if state is not None:
            return state
        if api_token_user(key=key) is None:
            raise AuthenticationError
        raise Http404
    if not request.user.is_authenticated:
        raise AuthenticationError
    return entry_state(get_examinee_for_student(request.user, examinee_id))


@router.get("/examinees/{examinee_id}/cards", response=list[CardOut])
def cards(request, examinee_id: int):
    """Face-down cards (R-10.2): positions only — nothing that maps to a ticket."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    if examinee_draw(examinee) is None and examinee.status != examinee.Status.ADMITTED:
        raise DomainError(
            _("You have not been admitted yet: wait for the technical secretary."), "not_admitted"
        )
    # Only the tickets of the examinee's exam language are offered (SPEC K-14).
    count = cards_count(examinee.sitting, examinee.exam_language)
    if count == 0 and examinee.exam_language and examinee_draw(examinee) is None:
        raise no_tickets(examinee.exam_language)
    return [{"position": n} for n in range(1, count + 1)]


@router.post("/examinees/{examinee_id}/draw", response={200: TicketOut, 201: TicketOut})
def draw(request, examinee_id: int, payload: DrawIn):
    """One draw per examinee, final (R-11.1): 201 the first time, 200 with the same ticket
    on any repeat."""
    examinee = get_examinee_for_student(request.auth, examinee_id)
    result, created = ticket_draw(examinee=examinee, position=payload.position, actor=request.auth)
    return (201 if created else 200), _ticket(examinee, result)


@router.get("/examinees/{examinee_id}/ticket", response=TicketOut)
def ticket(request, examinee_id: int):
    examinee = get_examinee_for_student_or_staff(request.auth, examinee_id)
    result = examinee_draw(examinee)
    if result is None:
        raise DomainError(_("No ticket has been drawn yet."), "not_found", 404)
    return _ticket(examinee, result)
