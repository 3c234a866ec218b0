"""Violations and decisions in the API (CONTRACT.md, R-2.2)."""

from datetime import datetime
from typing import Literal

from ninja import Router, Schema

from attestation.api.types import Reason, Text
from attestation.commissions.access import get_examinee_for_staff
from attestation.proctoring import services
from attestation.proctoring.access import DECIDERS, get_incident_for_staff
from attestation.proctoring.models import Incident, IncidentDecision

router = Router(tags=["proctoring"])


class IncidentIn(Schema):
    category: Literal[tuple(Incident.Category.values)]
    note: Text = ""
    at: datetime | None = None


class IncidentCreated(Schema):
    id: int


class IncidentDecisionIn(Schema):
    decision: Literal[tuple(IncidentDecision.Decision.values)]
    reason: Reason


class DecisionOut(Schema):
    id: int
    incident_id: int
    decision: str
    examinee_status: str
    admitted: bool


@router.post("/examinees/{examinee_id}/incidents", response={201: IncidentCreated})
def incident_create(request, examinee_id: int, payload: IncidentIn):
    """Record a violation (secretary, members, chair of the sitting's commission)."""
    examinee = get_examinee_for_staff(request.auth, examinee_id)
    incident = services.incident_record(
        examinee=examinee,
        actor=request.auth,
        category=payload.category,
        note=payload.note,
        at=payload.at,
    )
    return 201, {"id": incident.pk}


@router.post("/incidents/{incident_id}/decision", response=DecisionOut)
def incident_decision(request, incident_id: int, payload: IncidentDecisionIn):
    """The commission's decision (chair, secretary): warning, suspend, resume, terminate."""
    incident = get_incident_for_staff(request.auth, incident_id, DECIDERS)
    decision = services.incident_decide(
        incident=incident, actor=request.auth, decision=payload.decision, reason=payload.reason
    )
    examinee = incident.examinee
    examinee.refresh_from_db(fields=["status"])
    return {
        "id": decision.pk,
        "incident_id": incident.pk,
        "decision": decision.decision,
        "examinee_status": examinee.status,
        "admitted": examinee.admitted,
    }
