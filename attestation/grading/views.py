"""The commission's grading pages (R-15.1, R-16.1, R-26.1): the console, one examinee, the
chair's decisions and the announcement, results with their chart, and the XLSX export.
Actions are POST-only function views: access (404) → form → service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attestation.commissions.access import (
    get_examinee_for_staff,
    get_sitting_for_registrar_or_staff,
    get_sitting_for_staff,
    roles_in,
)
from attestation.commissions.models import Commission, Examinee, Membership
from attestation.core.errors import DomainError
from attestation.grading import services
from attestation.grading.board import examinee_board, sitting_board
from attestation.grading.exports import results_xlsx
from attestation.grading.forms import AnnounceTimeForm, FinalForm, ScoreForm
from attestation.grading.results import distribution

R = Membership.Role
EXAMINERS = (R.CHAIR, R.MEMBER)
# The chair decides; the deputy chair for a chair marked absent (K-1; the service checks).
ACTING = (R.CHAIR, R.DEPUTY)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _back(request, examinee: Examinee):
    """To the page the form came from (the examinee's page or the console row)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    url = reverse("grading:console", kwargs={"pk": examinee.sitting_id})
    return redirect(f"{url}#examinee-{examinee.pk}")


def _form_error(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_GET
def console(request, pk: int):
    """The grading console: members score, the chair decides; the secretary sees progress."""
    sitting = get_sitting_for_staff(request.user, pk)
    context = sitting_board(sitting, request.user)
    context["announce_form"] = AnnounceTimeForm(
        initial={"announce_at": sitting.announce_at} if sitting.announce_at else None
    )
    return render(request, "grading/console.html", context)


@login_required
@require_GET
def examinee(request, pk: int):
    """One examinee: ticket (or thesis topic), answer pages, incidents, scores."""
    examinee = get_examinee_for_staff(request.user, pk)
    return render(request, "grading/examinee.html", examinee_board(examinee, request.user))


@login_required
@require_POST
def score(request, pk: int):
    """A member's (or the chair's) own score."""
    examinee = get_examinee_for_staff(request.user, pk, EXAMINERS)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(request, examinee)
    try:
        services.score_set(
            examinee=examinee,
            member=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
            # The console's short form has no such field: keep what the examinee page set.
            additional_questions=(
                form.cleaned_data["additional_questions"]
                if "additional_questions" in request.POST
                else None
            ),
        )
        messages.success(
            request,
            _("Your score for %(name)s is saved.") % {"name": examinee.student.full_name},
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, examinee)


@login_required
@require_POST
def final(request, pk: int):
    """The chair's final grade after discussion (R-16.1)."""
    examinee = get_examinee_for_staff(request.user, pk, ACTING)
    form = FinalForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(request, examinee)
    try:
        services.final_set(
            examinee=examinee,
            actor=request.user,
            score=form.cleaned_data["score"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("The final grade for %(name)s is set.") % {"name": examinee.student.full_name},
        )
    except DomainError as error:
        messages.error(request, error.message)
    return _back(request, examinee)


@login_required
@require_POST
def announce(request, pk: int):
    """The chair publishes the results (R-16.1, R-26.1)."""
    sitting = get_sitting_for_staff(request.user, pk, ACTING)
    try:
        services.sitting_announce(sitting=sitting, actor=request.user)
        messages.success(request, _("The results are announced. The students are told by mail."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("grading:console", pk=sitting.pk)


@login_required
@require_POST
def announce_time(request, pk: int):
    """The chair or the technical secretary sets when the results are announced."""
    sitting = get_sitting_for_staff(request.user, pk, (R.CHAIR, R.SECRETARY))
    form = AnnounceTimeForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return redirect("grading:console", pk=sitting.pk)
    try:
        services.announcement_time_set(
            sitting=sitting, actor=request.user, announce_at=form.cleaned_data["announce_at"]
        )
        messages.success(request, _("The time of the announcement is set."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("grading:console", pk=sitting.pk)


def _sees_draft(user, sitting) -> bool:
    """Before the announcement: the chair, the secretary and the registrar see the draft;
    a member does not (the finals would tell them the others' scores)."""
    if user.is_registrar:
        return True
    return bool(roles_in(user, sitting.commission) & {R.CHAIR, R.SECRETARY})


@login_required
@require_GET
def results(request, pk: int):
    """The sitting's grade distribution as an inline SVG chart, the mean grade points, and
    one line per examinee."""
    sitting = get_sitting_for_registrar_or_staff(request.user, pk)
    announced = sitting.announced_at is not None
    visible = announced or _sees_draft(request.user, sitting)
    examinees = list(
        sitting.examinees.select_related("student__user").order_by("position") if visible else []
    )
    finals = [e.final_score for e in examinees if e.final_score is not None]
    return render(
        request,
        "grading/results.html",
        {
            "sitting": sitting,
            "commission": sitting.commission,
            "examinees": examinees,
            "visible": visible,
            "announced": announced,
            "chart": distribution(finals),
        },
    )


def _commission_for(user, pk: int) -> Commission:
    commissions = Commission.objects.all()
    if not user.is_registrar:
        commissions = commissions.filter(memberships__user=user).distinct()
    try:
        return commissions.get(pk=pk)
    except (Commission.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
@require_GET
def commission_results(request, pk: int):
    """The commission's announced results: one chart for all its sittings, one per sitting."""
    commission = _commission_for(request.user, pk)
    sittings = list(commission.sittings.filter(announced_at__isnull=False).order_by("starts_at"))
    by_sitting: dict[int, list[int]] = {s.pk: [] for s in sittings}
    finals = Examinee.objects.filter(sitting__in=sittings, final_score__isnull=False).values_list(
        "sitting_id", "final_score"
    )
    for sitting_id, value in finals:
        by_sitting[sitting_id].append(value)
    return render(
        request,
        "grading/commission_results.html",
        {
            "commission": commission,
            "report_link": request.user.is_registrar
            or R.CHAIR in roles_in(request.user, commission),
            "chart": distribution([v for values in by_sitting.values() for v in values]),
            "sittings": [{"sitting": s, "chart": distribution(by_sitting[s.pk])} for s in sittings],
        },
    )


@login_required
@require_GET
def results_export(request, pk: int):
    """XLSX for the registrar's student information system: one row per examinee."""
    sitting = get_sitting_for_registrar_or_staff(request.user, pk)
    examinees = sitting.examinees.select_related("student__user", "sitting").order_by("position")
    response = HttpResponse(results_xlsx(examinees, title=sitting.code), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="results-{sitting.code}.xlsx"'
    response["Cache-Control"] = "private, no-cache"
    return response
