"""The commission's console: the sitting's list in order with live status (R-9.1), and the
secretary's actions on it (R-3.1 identity, admission, absence)."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attestation.commissions import services
from attestation.commissions.access import (
    get_examinee_for_staff,
    get_sitting_for_staff,
    roles_in,
    sittings_for_staff,
)
from attestation.commissions.models import Examinee, Membership
from attestation.core.errors import DomainError

S = Examinee.Status


@login_required
def sittings(request):
    """The sittings a chair, member or secretary serves in."""
    items = sittings_for_staff(request.user).select_related("commission")
    return render(request, "console/sittings.html", {"sittings": items})


def _console_context(request, sitting) -> dict:
    examinees = list(
        sitting.examinees.select_related("student__user", "draw__ticket")
        .prefetch_related("draw__ticket__questions")
        .order_by("position")
    )
    counts = Counter(e.status for e in examinees)
    next_up = next((e for e in examinees if e.status in (S.WAITING, S.IDENTIFIED)), None)
    drawn = [e for e in examinees if getattr(e, "draw", None) is not None]
    reading = max(drawn, key=lambda e: e.draw.drawn_at) if drawn else None
    return {
        "sitting": sitting,
        "examinees": examinees,
        "counts": counts,
        "total": len(examinees),
        "next_up": next_up,
        "reading": reading,
        "can_act": Membership.Role.SECRETARY in roles_in(request.user, sitting.commission),
    }


@login_required
def sitting_detail(request, pk: int):
    sitting = get_sitting_for_staff(request.user, pk)
    context = _console_context(request, sitting)
    context["members"] = sitting.commission.memberships.select_related("user").order_by("role")
    return render(request, "console/sitting_detail.html", context)


@login_required
def sitting_live(request, pk: int):
    """The live part of the console, polled every 3 s."""
    sitting = get_sitting_for_staff(request.user, pk)
    return render(request, "console/_live.html", _console_context(request, sitting))


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
        context = _console_context(request, examinee.sitting)
        context["error"] = error
        return render(request, "console/_live.html", context)
    if error:
        messages.error(request, error)
    return redirect("console:sitting", pk=examinee.sitting_id)
