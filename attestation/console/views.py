"""The commission's console: the sitting's list in order with live status (R-9.1), and the
secretary's actions on it (R-3.1 identity, admission, absence)."""

from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from attestation.answers.services import answer_reopen, upload_window_extend
from attestation.commissions import services
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_sitting_for_staff,
    roles_in,
    sittings_for_staff,
)
from attestation.commissions.accommodations import language_warnings
from attestation.commissions.deadlines import upload_closes_at
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.console.accommodations import accommodations_context
from attestation.console.attendance import attendance_context
from attestation.core.errors import DomainError
from attestation.defense.dossier import dossier_state
from attestation.graduates.access import may_read_graduates

S = Examinee.Status


@login_required
def sittings(request):
    """The sittings a chair, member or secretary serves in."""
    items = sittings_for_staff(request.user).select_related("commission")
    return render(request, "console/sittings.html", {"sittings": items})


def _console_context(request, sitting) -> dict:
    is_exam = sitting.form != Sitting.Form.DEFENSE
    related = (
        ("student__user", "draw__ticket") if is_exam else ("student__user", "dossier", "thesis")
    )
    examinees = list(
        sitting.examinees.select_related(*related)
        .prefetch_related(*(("draw__ticket__questions",) if is_exam else ()))
        .order_by("position")
    )
    if not is_exam:  # K-8: the secretary sees whose dossier keeps them from the defence
        for e in examinees:
            e.dossier_state = dossier_state(e, getattr(e, "dossier", None))
    counts = Counter(e.status for e in examinees)
    next_up = next((e for e in examinees if e.status in (S.WAITING, S.IDENTIFIED)), None)
    drawn = [e for e in examinees if is_exam and getattr(e, "draw", None) is not None]
    reading = max(drawn, key=lambda e: e.draw.drawn_at) if drawn else None
    return {
        "sitting": sitting,
        "examinees": examinees,
        "counts": counts,
        "counters": console_counters(sitting, counts),
        "has_tickets": is_exam,
        "total": len(examinees),
        "next_up": next_up,
        "reading": reading,
        "can_act": Membership.Role.SECRETARY in roles_in(request.user, sitting.commission),
    }


# The console's counters: every status is counted once, under words that fit the form of the
# sitting, so that they add up to the list (a valid-reason absence is an absence; an oral
# examinee with a ticket prepares, not "writes"; a defence has no tickets).
COUNTER_GROUPS = (
    ("waiting", (S.WAITING,)),
    ("identified", (S.IDENTIFIED,)),
    ("admitted", (S.ADMITTED,)),
    ("drawn", (S.DRAWN,)),
    ("answering", (S.ANSWERING,)),
    ("submitted", (S.SUBMITTED,)),
    ("done", (S.DONE,)),
    ("stopped", (S.SUSPENDED, S.TERMINATED)),
    ("absent", (S.ABSENT, S.ABSENT_VALID, S.MOVED)),
)


def console_counters(sitting, counts) -> list[dict]:
    form = sitting.form
    labels = {
        "waiting": pgettext("examinees count", "waiting"),
        "identified": pgettext("examinees count", "identity checked"),
        "admitted": pgettext("examinees count", "admitted"),
        "drawn": (
            pgettext("examinees count", "writing")
            if form == Sitting.Form.WRITTEN_EXAM
            else pgettext("examinees count", "preparing")
        ),
        "answering": pgettext("examinees count", "answering"),
        "submitted": pgettext("examinees count", "submitted"),
        "done": pgettext("examinees count", "finished"),
        "stopped": pgettext("examinees count", "suspended or stopped"),
        "absent": pgettext("examinees count", "absent"),
    }
    # Shown always for this form; the others only when someone is in them.
    usual = {
        Sitting.Form.WRITTEN_EXAM: {
            "waiting",
            "identified",
            "admitted",
            "drawn",
            "submitted",
            "absent",
        },
        Sitting.Form.ORAL_EXAM: {
            "waiting",
            "identified",
            "admitted",
            "drawn",
            "answering",
            "done",
            "absent",
        },
        Sitting.Form.DEFENSE: {"waiting", "identified", "admitted", "answering", "done", "absent"},
    }.get(form, set(labels))
    result = []
    for key, statuses in COUNTER_GROUPS:
        n = sum(counts.get(s, 0) for s in statuses)
        if key in usual or n:
            result.append({"key": key, "label": labels[key], "n": n})
    return result


@login_required
def sitting_detail(request, pk: int):
    sitting = get_sitting_for_staff(request.user, pk)
    context = _console_context(request, sitting)
    context["members"] = sitting.commission.memberships.select_related("user").order_by("role")
    context |= attendance_context(sitting, request.user)
    # K-14: an exam language the bank has no ticket in stops those students at the draw.
    context["language_warnings"] = language_warnings(sitting, context["examinees"])
    context["is_chair"] = Membership.Role.CHAIR in roles_in(request.user, sitting.commission)
    context["graduates_link"] = may_read_graduates(request.user, sitting.commission)
    return render(request, "console/sitting_detail.html", context)


def render_live(request, sitting, error: str | None = None, examinee=None):
    """The live part of the console: polled every 3 s, and sent back after every htmx action
    (here and in proctoring), with the action's error if it was refused, shown at the row of
    the examinee it concerns (not at the top, a screen away from the click)."""
    context = _console_context(request, sitting)
    context["error"] = error
    context["error_for"] = examinee.pk if error and examinee is not None else None
    return render(request, "console/_live.html", context)


@login_required
def sitting_live(request, pk: int):
    """The live part of the console, polled every 3 s."""
    return render_live(request, get_sitting_for_staff(request.user, pk))


ACTIONS = {
    "identify": lambda e, user, note: services.examinee_identify(examinee=e, actor=user, note=note),
    "admit": lambda e, user, note: services.examinee_admit(examinee=e, actor=user),
    "absent": lambda e, user, note: services.examinee_mark_absent(
        examinee=e, actor=user, reason=note
    ),
    "present": lambda e, user, note: services.examinee_mark_present(
        examinee=e, actor=user, reason=note
    ),
}


@login_required
@require_POST
def examinee_action(request, pk: int, action: str):
    """The secretary's buttons. With htmx the live part comes back at once; without
    JavaScript the page reloads."""
    examinee = get_examinee_for_staff(request.user, pk, (Membership.Role.SECRETARY,))
    if action not in ACTIONS:
        return redirect("console:sitting", pk=examinee.sitting_id)
    error = None
    try:
        ACTIONS[action](examinee, request.user, request.POST.get("note", "").strip())
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        return render_live(request, examinee.sitting, error, examinee)
    if error:
        messages.error(request, f"{examinee.student.full_name}: {error}")
    return redirect(reverse("console:sitting", args=[examinee.sitting_id]) + f"#examinee-{pk}")


@login_required
def examinee_detail(request, pk: int):
    """One examinee for the commission: record, identity check, ticket, answer pages; the
    secretary's corrections (upload window, reopening) with a reason."""
    examinee = get_examinee_for_staff(request.user, pk)
    draw = getattr(examinee, "draw", None)
    return render(
        request,
        "console/examinee.html",
        {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "draw": draw,
            "questions": draw.ticket.questions.all() if draw else [],
            "upload_closes_at": upload_closes_at(examinee),
            "state": (
                dossier_state(examinee) if examinee.sitting.form == Sitting.Form.DEFENSE else None
            ),
            "can_act": Membership.Role.SECRETARY
            in roles_in(request.user, examinee.sitting.commission),
            **accommodations_context(request.user, examinee),
        },
    )


@login_required
@require_POST
def examinee_extend(request, pk: int):
    """The secretary extends one examinee's upload window (R-14.1), with a reason."""
    examinee = get_examinee_for_staff(request.user, pk, (Membership.Role.SECRETARY,))
    try:
        minutes = int(request.POST.get("minutes", ""))
    except ValueError:
        minutes = 0
    try:
        if not 1 <= minutes <= 24 * 60:
            raise DomainError(_("Give the extension in minutes, from 1 to 1440."), "invalid", 422)
        upload_window_extend(
            examinee=examinee,
            until=timezone.now() + timedelta(minutes=minutes),
            actor=request.user,
            reason=request.POST.get("reason", "").strip(),
        )
        messages.success(request, _("The upload window is extended."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("console:examinee", pk=examinee.pk)


@login_required
@require_POST
def examinee_reopen(request, pk: int):
    """The secretary reopens a submitted answer, with a reason."""
    examinee = get_examinee_for_staff(request.user, pk, (Membership.Role.SECRETARY,))
    try:
        answer_reopen(
            examinee=examinee, actor=request.user, reason=request.POST.get("reason", "").strip()
        )
        messages.success(request, _("The answer is reopened: the student can change the pages."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("console:examinee", pk=examinee.pk)
