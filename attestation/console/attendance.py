"""The secretary's attendance panel on the console (SPEC K-2): who of the commission sits at
this sitting, and the quorum, live. The panel polls itself; the secretary's buttons post with
htmx and get the panel back (without JavaScript the page reloads)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from attestation.commissions import decision, quorum
from attestation.commissions.access import get_sitting_for_staff, roles_in
from attestation.commissions.models import Membership
from attestation.core.errors import DomainError


def attendance_context(sitting, user) -> dict:
    memberships = quorum.voting_memberships(sitting.commission_id)
    marks = quorum.attendance_of(sitting)
    return {
        "sitting": sitting,
        "quorum": quorum.sitting_quorum(sitting, memberships=memberships, marks=marks),
        "attendance": [{"membership": m, "present": marks.get(m.user_id)} for m in memberships],
        "can_mark": Membership.Role.SECRETARY in roles_in(user, sitting.commission),
    }


@login_required
@require_GET
def attendance(request, pk: int):
    """The attendance panel, polled every 5 s by everyone in the commission."""
    sitting = get_sitting_for_staff(request.user, pk)
    return render(request, "console/_attendance.html", attendance_context(sitting, request.user))


@login_required
@require_POST
def attendance_mark(request, pk: int):
    """The secretary marks one member present (`present=1`) or absent (`present=0`)."""
    sitting = get_sitting_for_staff(request.user, pk, (Membership.Role.SECRETARY,))
    error = None
    try:
        decision.attendance_set(
            sitting=sitting,
            user_id=request.POST.get("user_id", ""),
            present={"1": True, "0": False}.get(request.POST.get("present", "")),
            actor=request.user,
        )
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        context = attendance_context(sitting, request.user)
        context["attendance_error"] = error
        return render(request, "console/_attendance.html", context)
    if error:
        messages.error(request, error)
    return redirect("console:sitting", pk=sitting.pk)
