"""The commission's incident forms and buttons (R-2.2), the evidence file behind an access
check, and the student's camera heartbeat (R-2.1)."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attestation.cabinet.entry import entry_state
from attestation.commissions.access import get_examinee_for_staff, get_examinee_for_student
from attestation.console.views import render_live
from attestation.core.errors import DomainError
from attestation.core.input import BadInput, json_loads
from attestation.proctoring import services
from attestation.proctoring.access import DECIDERS, get_incident_for_staff
from attestation.proctoring.evidence import content_type, evidence_read
from attestation.proctoring.models import Incident, IncidentDecision


def _back(request, examinee, error: str | None = None, success: str | None = None):
    """htmx from the live console gets the live part back; a plain form goes to the
    examinee's page."""
    if request.htmx and request.POST.get("from") == "live":
        return render_live(request, examinee.sitting, error, examinee)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(reverse("console:examinee", args=[examinee.pk]) + "#incidents")


def _time_today(value: str):
    """'HH:MM' today (server time zone), or None for now."""
    if not value:
        return None
    try:
        clock = datetime.strptime(value, "%H:%M").time()  # noqa: DTZ007 -- a clock time only
    except ValueError:
        raise DomainError(_("Give the time as HH:MM."), "invalid", 422) from None
    today = timezone.localdate()
    return timezone.make_aware(datetime.combine(today, clock))


@login_required
@require_POST
def incident_create(request, pk: int):
    """Record a violation: secretary, members, chair of the sitting's commission."""
    examinee = get_examinee_for_staff(request.user, pk)
    try:
        upload = request.FILES.get("evidence")
        services.incident_record(
            examinee=examinee,
            actor=request.user,
            category=request.POST.get("category", ""),
            note=request.POST.get("note", ""),
            at=_time_today(request.POST.get("time", "").strip()),
            evidence=evidence_read(upload) if upload else None,
        )
    except DomainError as exc:
        return _back(request, examinee, error=exc.message)
    return _back(request, examinee, success=_("The violation is recorded."))


@login_required
@require_POST
def incident_decide(request, pk: int):
    """The commission's decision: chair or secretary. The reason comes from the form, or from
    htmx's prompt in the live console."""
    incident = get_incident_for_staff(request.user, pk, DECIDERS)
    reason = request.POST.get("reason", "") or request.headers.get("HX-Prompt", "")
    decision = request.POST.get("decision", "")
    try:
        services.incident_decide(
            incident=incident, actor=request.user, decision=decision, reason=reason
        )
    except DomainError as exc:
        return _back(request, incident.examinee, error=exc.message)
    label = IncidentDecision.Decision(decision).label
    return _back(request, incident.examinee, success=_("Decision recorded: %(d)s.") % {"d": label})


@login_required
@require_GET
def evidence(request, pk: int):
    """The evidence file, for the commission of the sitting only; never on a public URL."""
    incident = get_incident_for_staff(request.user, pk)
    if not incident.evidence:
        raise Http404
    name = incident.evidence.name
    response = FileResponse(incident.evidence.open("rb"), content_type=content_type(name))
    response["Content-Disposition"] = f'inline; filename="incident-{incident.pk}.{name[-3:]}"'
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def heartbeat(request, pk: int):
    """The exam page reports every ~15 s whether the camera is live and the page visible.
    The answer carries the entry status and, when suspended or stopped, why."""
    examinee = get_examinee_for_student(request.user, pk)
    body = {}
    # The page sends JSON; anything else reads as "no camera" as before (and its form fields
    # were already checked by core.input.InputMiddleware, which read the stream).
    if request.content_type == "application/json":
        try:
            body = json_loads(request.body or b"{}")
        except BadInput as error:
            return JsonResponse({"detail": error.message, "code": error.code}, status=error.status)
    if not isinstance(body, dict):
        body = {}
    services.camera_report(
        examinee=examinee,
        camera_live=body.get("camera") is True,
        page_visible=body.get("visible") is not False,
        problem=str(body.get("problem") or ""),
    )
    state = entry_state(examinee)
    state["why"] = _why(examinee)
    return JsonResponse(state)


def _why(examinee) -> str:
    """The category and reason of the decision that suspended or stopped the attestation."""
    if examinee.status not in (examinee.Status.SUSPENDED, examinee.Status.TERMINATED):
        return ""
    decision = (
        IncidentDecision.objects.filter(
            incident__examinee=examinee, decision__in=("suspend", "terminate")
        )
        .select_related("incident")
        .order_by("-at", "-pk")
        .first()
    )
    if decision is None:
        return ""
    category = Incident.Category(decision.incident.category).label
    return f"{category}: {decision.reason}"
