from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from attestation.commissions.access import get_sitting_for_staff, sittings_for_staff


@login_required
def sittings(request):
    """The sittings a chair, member or secretary serves in."""
    items = sittings_for_staff(request.user).select_related("commission")
    return render(request, "console/sittings.html", {"sittings": items})


@login_required
def sitting_detail(request, pk: int):
    sitting = get_sitting_for_staff(request.user, pk)
    examinees = sitting.examinees.select_related("student__user").order_by("position")
    members = sitting.commission.memberships.select_related("user").order_by("role")
    return render(
        request,
        "console/sitting_detail.html",
        {"sitting": sitting, "examinees": examinees, "members": members},
    )
