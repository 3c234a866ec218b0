"""A member's part in the commission's decision, on the examinee's grading page (SPEC K-3,
K-4): declaring a conflict of interest, recording a dissenting opinion. POST only: access
(404) → service → message → back to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.commissions import decision, quorum
from attestation.commissions.access import get_examinee_for_staff
from attestation.commissions.models import Membership
from attestation.core.errors import DomainError
from attestation.grading.views import _back

R = Membership.Role


@login_required
@require_POST
def recusal(request, pk: int):
    """A member or the chair declares a conflict of interest with this examinee."""
    examinee = get_examinee_for_staff(request.user, pk, quorum.VOTING)
    try:
        decision.recusal_declare(
            examinee=examinee, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(
            request,
            _("Your conflict of interest with %(name)s is recorded: you do not grade them.")
            % {"name": examinee.student.full_name},
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, examinee)


@login_required
@require_POST
def dissent(request, pk: int):
    """A member's dissenting opinion on the decision about this examinee."""
    examinee = get_examinee_for_staff(request.user, pk, (R.MEMBER, R.DEPUTY))
    try:
        decision.dissent_record(
            examinee=examinee, member=request.user, text=request.POST.get("text", "")
        )
        messages.success(request, _("Your dissenting opinion is recorded."))
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, examinee)
