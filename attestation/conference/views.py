"""The commission's conference page (provider and link), and the join page that gives each
person their own link where the provider needs one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from attestation.commissions.access import get_sitting_for_staff, roles_in, sittings_for_staff
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.conference.providers import PROVIDERS
from attestation.conference.services import conference_link_set
from attestation.core.errors import DomainError

SETTERS = (Membership.Role.CHAIR, Membership.Role.SECRETARY)


@login_required
@require_GET
def sitting_conference(request, pk: int):
    """Chair and secretary choose the provider; members see the link."""
    sitting = get_sitting_for_staff(request.user, pk)
    can_act = bool(roles_in(request.user, sitting.commission) & set(SETTERS))
    current = PROVIDERS.get(sitting.conference_provider, PROVIDERS["manual"])
    return render(
        request,
        "conference/sitting.html",
        {
            "sitting": sitting,
            "providers": PROVIDERS.values(),
            "current": current,
            "can_act": can_act,
        },
    )


@login_required
@require_POST
def conference_set(request, pk: int):
    sitting = get_sitting_for_staff(request.user, pk, SETTERS)
    try:
        conference_link_set(
            sitting=sitting,
            provider=request.POST.get("provider", ""),
            actor=request.user,
            url=request.POST.get("url", ""),
        )
        messages.success(request, _("The conference link is saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("conference:sitting", pk=sitting.pk)


def _sitting_for_join(user, pk) -> tuple[Sitting, bool]:
    """(sitting, moderator): the commission joins as moderators, its examinees as guests."""
    staff = sittings_for_staff(user).filter(pk=pk).select_related("commission").first()
    if staff is not None:
        return staff, True
    examinee = (
        Examinee.objects.filter(sitting_id=pk, student__user=user).select_related("sitting").first()
    )
    if examinee is None:
        raise Http404
    return examinee.sitting, False


@login_required
@require_GET
@never_cache  # the answer carries a personal token
def conference_join(request, pk: int):
    sitting, moderator = _sitting_for_join(request.user, pk)
    back = redirect("conference:sitting", pk=sitting.pk) if moderator else redirect("cabinet:sac")
    if not moderator and timezone.now() < sitting.join_opens_at:
        # students join 30 (exam) or 15 (defence) minutes before the start.
        opens = timezone.localtime(sitting.join_opens_at)
        messages.info(
            request, _("The conference link opens at %(time)s.") % {"time": f"{opens:%H:%M}"}
        )
        return back
    if not sitting.conference_url:
        messages.info(request, _("The conference link is not set yet."))
        return back
    provider = PROVIDERS.get(sitting.conference_provider, PROVIDERS["manual"])
    try:
        target = provider.join_url(sitting, request.user, moderator=moderator)
    except DomainError as error:
        messages.error(request, error.message)
        return back
    return HttpResponseRedirect(target)
