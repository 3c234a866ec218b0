"""Violations of the rules and the commission's decisions on them (R-2.2); the camera
heartbeat (R-2.1).

suspend: the entry turns red (`suspended`) and the previous status is kept on the decision;
resume: back to that status; terminate: `terminated`, the attestation ends "not completed".
Each function is one transaction and writes an audit row.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions import windows
from attestation.commissions.models import Examinee
from attestation.commissions.services import examinee_locked, examinee_status_change
from attestation.core.errors import DomainError
from attestation.proctoring.evidence import Evidence
from attestation.proctoring.models import CameraStatus, Incident, IncidentDecision

S = Examinee.Status
D = IncidentDecision.Decision
# States in which the attestation is under way and the commission may still stop it.
RUNNING = (S.WAITING, S.IDENTIFIED, S.ADMITTED, S.DRAWN, S.SUBMITTED, S.ANSWERING)
FINAL = (S.TERMINATED, S.DONE, S.ABSENT, S.ABSENT_VALID, S.MOVED)


def incident_record(
    *,
    examinee: Examinee,
    actor,
    category: str,
    note: str = "",
    at: datetime | None = None,
    evidence: Evidence | None = None,
) -> Incident:
    """Record a violation: who recorded it, what, when (R-2.2). It changes nothing by itself:
    the commission decides."""
    if category not in Incident.Category.values:
        raise DomainError(_("Choose the kind of violation."), "invalid", 422)
    now = timezone.now()
    at = windows.aware(at) or now
    if at > now + windows.CLOCK_SKEW:
        raise DomainError(_("The time of a violation cannot be in the future."), "invalid", 422)
    earliest, latest = windows.incident_bounds(examinee.sitting, now)
    windows.require_within(at, earliest=earliest, latest=latest, what=_("The time of a violation"))
    with transaction.atomic():
        examinee = examinee_locked(examinee)
        incident = Incident(
            examinee=examinee, category=category, note=note.strip(), recorded_by=actor, at=at
        )
        if evidence is not None:
            incident.evidence.save(evidence.name, evidence.content, save=False)
        incident.save()
        log_action(
            actor=actor,
            action="incident.record",
            target=examinee,
            to_state=category,
            reason=incident.note,
            data={"incident": incident.pk, "at": at.isoformat(), "evidence": bool(evidence)},
        )
    return incident


def _suspended_from(examinee: Examinee) -> str:
    """The status the latest suspension interrupted."""
    before = (
        IncidentDecision.objects.filter(incident__examinee=examinee, decision=D.SUSPEND)
        .order_by("-at", "-pk")
        .values_list("status_before", flat=True)
        .first()
    )
    return before if before in RUNNING else S.WAITING


def incident_decide(
    *, incident: Incident, actor, decision: str, reason: str = ""
) -> IncidentDecision:
    """The commission's decision (R-2.2): warning, suspend, resume or terminate.
    A wrong state — resume when not suspended, anything after termination — raises."""
    if decision not in D.values:
        raise DomainError(_("Choose a decision."), "invalid", 422)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), "invalid", 422)
    with transaction.atomic():
        examinee = examinee_locked(incident.examinee)
        status = examinee.status
        if status in FINAL:
            raise DomainError(
                _("The attestation of this student is over: no further decision."), "wrong_state"
            )
        if decision == D.RESUME and status != S.SUSPENDED:
            raise DomainError(_("Only a suspended attestation can be resumed."), "wrong_state")
        if decision == D.SUSPEND and status == S.SUSPENDED:
            raise DomainError(_("The attestation is already suspended."), "wrong_state")
        result = IncidentDecision.objects.create(
            incident=incident,
            decision=decision,
            reason=reason,
            decided_by=actor,
            at=timezone.now(),
            status_before=status,
        )
        action = f"incident.{decision}"
        if decision == D.SUSPEND:
            examinee_status_change(examinee, S.SUSPENDED, actor=actor, action=action, reason=reason)
        elif decision == D.RESUME:
            to = _suspended_from(examinee)
            examinee_status_change(examinee, to, actor=actor, action=action, reason=reason)
        elif decision == D.TERMINATE:
            examinee_status_change(
                examinee, S.TERMINATED, actor=actor, action=action, reason=reason
            )
        else:
            log_action(actor=actor, action=action, target=examinee, reason=reason)
    return result


def camera_report(
    *, examinee: Examinee, camera_live: bool, page_visible: bool, problem: str = ""
) -> CameraStatus:
    """One heartbeat from the student's page (R-2.1). `camera_seen_at` moves only while the
    camera is live and the page visible, so a stale value is what the console flags. No audit
    row: a heartbeat is an observation, not a transition."""
    now = timezone.now()
    with transaction.atomic():
        status, _created = CameraStatus.objects.update_or_create(
            examinee=examinee,
            defaults={
                "reported_at": now,
                "camera_live": camera_live,
                "page_visible": page_visible,
                "problem": problem[:40],
            },
        )
        if camera_live and page_visible:
            Examinee.objects.filter(pk=examinee.pk).update(camera_seen_at=now)
            examinee.camera_seen_at = now
    return status
