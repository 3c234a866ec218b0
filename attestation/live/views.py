"""The live sitting pages: the commission's queue page and the student's panel, both polled
every 3 s by htmx (R-13.1, R-21.1, R-23.1, R-24.1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.commissions.access import (
    get_examinee_for_staff,
    get_examinee_for_student,
    get_sitting_for_staff,
    roles_in,
)
from attestation.commissions.models import Membership, Sitting
from attestation.core.errors import DomainError
from attestation.defense.dossier import dossier_of, dossier_state
from attestation.grading.models import Score
from attestation.grading.scale import grade_for
from attestation.grading.services import score_set
from attestation.live import services
from attestation.live.queue import (
    LIVE_FORMS,
    SPEECH_AMBER_S,
    SPEECH_RED_S,
    current_of,
    not_ready_count,
    not_ready_message,
    questioning_start,
    queue_items,
    timer_of,
)
from attestation.live.timeline import timeline
from attestation.tickets.models import Draw

R = Membership.Role


def _timers(examinee, sitting) -> dict:
    interruptions = list(examinee.interruptions.all()) if examinee else []
    timer = timer_of(examinee, interruptions=interruptions) if examinee else None
    return {
        "timer": timer,
        "interruptions": interruptions,
        "open_interruption": next((i for i in interruptions if i.ended_at is None), None),
        "speech_amber_s": SPEECH_AMBER_S,
        "speech_red_s": SPEECH_RED_S,
        "slot_s": sitting.slot_minutes * 60,
        "is_defense": sitting.form == Sitting.Form.DEFENSE,
    }


def _commission_context(request, sitting) -> dict:
    start = questioning_start(sitting)
    items = queue_items(sitting, start=start)
    current = current_of(items)
    examinee = current.examinee if current else None
    roles = roles_in(request.user, sitting.commission)
    context = {
        "sitting": sitting,
        "start": start,
        "items": items,
        "current": examinee,
        "now": timezone.now(),
        "can_call": bool(roles & {R.CHAIR, R.SECRETARY}),
        "can_score": bool(roles & {R.CHAIR, R.MEMBER}),
        "is_secretary": R.SECRETARY in roles,
        "timeline": timeline(sitting, items) if sitting.form == Sitting.Form.DEFENSE else None,
        "own_score": (
            Score.objects.filter(examinee=examinee, member=request.user).first()
            if examinee
            else None
        ),
        "questions": list(examinee.written_questions.all()) if examinee else [],
        "thesis": getattr(examinee, "thesis", None) if examinee else None,
        "dossier": dossier_of(examinee) if examinee else None,
        "current_draw": _draw_of(examinee),
        "upload_kinds": [
            ("thesis", _("Thesis (late, with a reason)")),
            ("supervisor", _("Supervisor's feedback")),
            ("reviewer", _("Review")),
        ],
    }
    context.update(_timers(examinee, sitting))
    if context["dossier"] is not None or (examinee and sitting.form == Sitting.Form.DEFENSE):
        context["dossier_state"] = dossier_state(examinee, context["dossier"])
        review = context["dossier"] and context["dossier"].reviewer_grade
        context["reviewer_grade"] = grade_for(review) if review is not None else None
    return context


def _draw_of(examinee):
    """The ticket the examinee answers at an oral exam, for the "answering now" panel."""
    if examinee is None:
        return None
    return (
        Draw.objects.select_related("ticket")
        .prefetch_related("ticket__questions")
        .filter(examinee=examinee)
        .first()
    )


def _live_sitting(request, pk: int) -> Sitting:
    sitting = get_sitting_for_staff(request.user, pk)
    if sitting.form not in LIVE_FORMS:
        raise Http404
    return sitting


@login_required
def sitting(request, pk: int):
    sitting = _live_sitting(request, pk)
    return render(request, "live/sitting.html", _commission_context(request, sitting))


@login_required
def sitting_live(request, pk: int):
    sitting = _live_sitting(request, pk)
    return render(request, "live/_commission.html", _commission_context(request, sitting))


@login_required
@require_POST
def call_next(request, pk: int):
    sitting = _live_sitting(request, pk)
    raw = request.POST.get("expected_current_id", "")
    try:
        called = services.queue_call_next(
            sitting=sitting, actor=request.user, expected_current_id=int(raw) if raw else None
        )
        if called is None:
            waiting = not_ready_count(sitting)
            if waiting:  # not the last: the others are still on their way to the queue
                messages.info(
                    request,
                    _("The examinee has finished; no one else is ready to be called.")
                    + " "
                    + not_ready_message(sitting, waiting),
                )
            else:
                messages.info(request, _("The last examinee has finished."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("live:sitting", pk=sitting.pk)


@login_required
@require_POST
def finish(request, pk: int):
    examinee = get_examinee_for_staff(request.user, pk)
    try:
        services.questioning_finish(examinee=examinee, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("live:sitting", pk=examinee.sitting_id)


@login_required
@require_POST
def score(request, pk: int):
    """A member's score with the additional questions asked, through grading's service."""
    examinee = get_examinee_for_staff(request.user, pk, (R.CHAIR, R.MEMBER))
    try:
        score_set(
            examinee=examinee,
            member=request.user,
            score=request.POST.get("score", ""),
            comment=request.POST.get("comment", ""),
            additional_questions=request.POST.get("additional_questions", ""),
        )
        messages.success(request, _("Your score is saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("live:sitting", pk=examinee.sitting_id)


def _student_context(examinee) -> dict:
    sitting = examinee.sitting
    start = questioning_start(sitting)
    items = queue_items(sitting, start=start)
    mine = next((i for i in items if i.examinee.pk == examinee.pk), None)
    waiting = [i for i in items if i.state == "waiting"]
    place = waiting.index(mine) + 1 if mine in waiting else None
    context = {
        "examinee": examinee,
        "sitting": sitting,
        "start": start,
        "mine": mine,
        "place": place,
        "someone_answering": current_of(items) is not None,
        "now": timezone.now(),
        "questions": list(examinee.written_questions.all()),
        "thesis": getattr(examinee, "thesis", None),
    }
    context.update(_timers(examinee if mine and mine.state != "waiting" else None, sitting))
    return context


@login_required
def student_live(request, pk: int):
    """The student's panel, polled every 3 s."""
    examinee = get_examinee_for_student(request.user, pk)
    if examinee.sitting.form not in LIVE_FORMS:
        raise Http404
    return render(request, "live/_student_live.html", _student_context(examinee))
