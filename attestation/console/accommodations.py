"""The commission's forms for one examinee's accommodations (SPEC K-14): extra writing time
(the secretary or the chair, also during the exam) and the exam language (the secretary)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.commissions.access import get_examinee_for_staff, roles_in
from attestation.commissions.accommodations import (
    examinee_exam_language_set,
    examinee_extra_time_set,
    extra_minutes_limit,
    language_label,
    language_warnings,
)
from attestation.commissions.accommodations_api import EXTRA_TIME_ROLES
from attestation.commissions.deadlines import answer_deadline
from attestation.commissions.models import EXAM_LANGUAGES, Membership
from attestation.core.errors import DomainError


def accommodations_context(user, examinee) -> dict:
    """What the examinee page shows and offers about accommodations."""
    roles = roles_in(user, examinee.sitting.commission)
    return {
        "can_give_extra_time": bool(roles & set(EXTRA_TIME_ROLES))
        and examinee.sitting.form == examinee.sitting.Form.WRITTEN_EXAM,
        "can_set_language": Membership.Role.SECRETARY in roles and examinee.sitting.is_exam,
        "extra_minutes_max": extra_minutes_limit(examinee.sitting),
        "answer_deadline": answer_deadline(examinee),
        "exam_languages": EXAM_LANGUAGES,
        "exam_language_label": language_label(examinee.exam_language),
        "language_warnings": language_warnings(examinee.sitting, [examinee]),
    }


@login_required
@require_POST
def examinee_extra_time(request, pk: int):
    """Extra writing time for one examinee, with a reason; 0 removes it."""
    examinee = get_examinee_for_staff(request.user, pk, EXTRA_TIME_ROLES)
    raw = request.POST.get("minutes", "").strip()
    try:
        minutes = int(raw) if raw.lstrip("-").isdigit() and len(raw) <= 6 else None
        if minutes is None:
            raise DomainError(
                _("Give the extra time in whole minutes, from 0 to %(limit)s (0 removes it).")
                % {"limit": extra_minutes_limit(examinee.sitting)},
                "invalid_minutes",
                422,
            )
        examinee = examinee_extra_time_set(
            examinee=examinee,
            minutes=minutes,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
        if examinee.extra_minutes:
            messages.success(
                request,
                _("Extra time is set: %(minutes)s min. The student's countdown has moved.")
                % {"minutes": examinee.extra_minutes},
            )
        else:
            messages.success(request, _("The extra time is removed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("console:examinee", pk=pk)


@login_required
@require_POST
def examinee_language(request, pk: int):
    """The exam language of one examinee (before the draw)."""
    examinee = get_examinee_for_staff(request.user, pk, (Membership.Role.SECRETARY,))
    try:
        examinee = examinee_exam_language_set(
            examinee=examinee, language=request.POST.get("language", ""), actor=request.user
        )
        messages.success(request, _("The exam language is saved."))
        for warning in language_warnings(examinee.sitting, [examinee]):
            messages.warning(request, warning)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("console:examinee", pk=pk)
