"""The student's exam room (R-9.2 … R-11.1): entry status, the rules, the closed draw, the
ticket page. Actions are POST-only and call services; errors come back as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attestation.cabinet.entry import entry_state
from attestation.cabinet.live_state import exam_state
from attestation.commissions.access import get_examinee_for_student
from attestation.commissions.models import Examinee
from attestation.commissions.services import rules_acknowledge
from attestation.core.errors import DomainError
from attestation.core.headers import camera_allowed
from attestation.tickets.services import (
    cards_count,
    examinee_draw,
    no_tickets,
    questions_of,
    ticket_draw,
)


@login_required
@camera_allowed  # the camera stays on in the exam room
def exam_room(request, pk: int):
    examinee = get_examinee_for_student(request.user, pk)
    draw = examinee_draw(examinee)
    # The state banner's deadlines read `examinee.draw`: this one, not a second query.
    Examinee.draw.related.set_cached_value(examinee, draw)
    return render(
        request,
        "cabinet/exam_room.html",
        {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "entry": entry_state(examinee),
            "drawn": draw is not None,
            "live": exam_state(examinee),
        },
    )


@login_required
def exam_state_view(request, pk: int):
    """The state banner alone, polled by the exam room and the ticket page: the page sends
    the key it was drawn with and refreshes its parts when the answer's key differs."""
    examinee = get_examinee_for_student(request.user, pk)
    # The deadlines read `examinee.draw`: the hand-written query instead of the ORM's, which
    # compiled a query on every poll before the draw (0.4 ms of a 1.2 ms request).
    Examinee.draw.related.set_cached_value(examinee, examinee_draw(examinee))
    live = exam_state(examinee, seen=request.GET.get("seen", "")[:200])
    return render(request, "cabinet/_exam_state.html", {"examinee": examinee, "live": live})


@login_required
def exam_entry(request, pk: int):
    """The entry button alone, polled every 3 s by htmx (R-9.2)."""
    examinee = get_examinee_for_student(request.user, pk)
    return render(
        request,
        "cabinet/_entry.html",
        {
            "examinee": examinee,
            "entry": entry_state(examinee),
            "drawn": examinee_draw(examinee) is not None,
        },
    )


@login_required
@require_POST
def exam_rules(request, pk: int):
    examinee = get_examinee_for_student(request.user, pk)
    rules_acknowledge(examinee=examinee, actor=request.user)
    return redirect("cabinet:exam_room", pk=examinee.pk)


@login_required
def exam_draw(request, pk: int):
    """The ticket-selection window (R-10.1, R-10.2): face-down cards, nothing behind them
    until the click; the ticket is chosen on the server then."""
    examinee = get_examinee_for_student(request.user, pk)
    if examinee_draw(examinee) is not None:
        return redirect("cabinet:exam_ticket", pk=examinee.pk)
    if request.method == "POST":
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            position = 0
        try:
            ticket_draw(examinee=examinee, position=position, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("cabinet:exam_room", pk=examinee.pk)
        return redirect("cabinet:exam_ticket", pk=examinee.pk)
    if not examinee.admitted:
        return redirect("cabinet:exam_room", pk=examinee.pk)
    language = examinee.exam_language  # only that language's tickets are offered (K-14)
    return render(
        request,
        "cabinet/draw.html",
        {
            "examinee": examinee,
            "cards": range(1, cards_count(examinee.sitting, language) + 1),
            "no_tickets": no_tickets(language).message if language else "",
        },
    )


@login_required
@camera_allowed
def exam_ticket(request, pk: int):
    """The ticket page (R-11.1, R-12.1, R-14.1): number and questions, and the answer-sheet
    upload panel with its server-timed countdown."""
    examinee = get_examinee_for_student(request.user, pk)
    draw = examinee_draw(examinee)
    if draw is None:
        return redirect("cabinet:exam_room", pk=examinee.pk)
    # The panel's deadlines read `examinee.draw`: this one, not a second query.
    Examinee.draw.related.set_cached_value(examinee, draw)
    return render(
        request,
        "cabinet/ticket.html",
        {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "draw": draw,
            "questions": questions_of(draw.ticket),
            "live": exam_state(examinee),
        },
    )
