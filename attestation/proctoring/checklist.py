"""The secretary's checklist for the day before (R-5.1): invitation sent, connection checked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.commissions.access import get_examinee_for_staff, get_sitting_for_staff
from attestation.commissions.models import Membership
from attestation.proctoring.invitations import connection_check_record, invitations_send

SECRETARY = (Membership.Role.SECRETARY,)


@login_required
def checklist(request, pk: int):
    sitting = get_sitting_for_staff(request.user, pk)
    examinees = sitting.examinees.select_related("student__user").order_by("position")
    can_act = sitting.commission.memberships.filter(
        user=request.user, role=Membership.Role.SECRETARY
    ).exists()
    return render(
        request,
        "proctoring/checklist.html",
        {"sitting": sitting, "examinees": examinees, "can_act": can_act},
    )


@login_required
@require_POST
def invitations(request, pk: int):
    sitting = get_sitting_for_staff(request.user, pk, SECRETARY)
    count = invitations_send(
        sitting=sitting, actor=request.user, only_unsent=request.POST.get("only") == "unsent"
    )
    messages.success(request, _("Invitations queued: %(n)s.") % {"n": count})
    return redirect("proctoring:checklist", pk=sitting.pk)


@login_required
@require_POST
def connection(request, pk: int):
    examinee = get_examinee_for_staff(request.user, pk, SECRETARY)
    connection_check_record(
        examinee=examinee,
        actor=request.user,
        ok=request.POST.get("ok") == "yes",
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Connection check recorded."))
    return redirect("proctoring:checklist", pk=examinee.sitting_id)
