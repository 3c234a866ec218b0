"""Applications in the API (CONTRACT.md): file one, read one, decide one."""

import json

from django.utils.translation import gettext as _
from ninja import Router, Schema

from attestation.applications import services
from attestation.applications.access import (
    get_application_for_decider,
    get_application_for_viewer,
)
from attestation.applications.models import Application
from attestation.commissions.access import get_examinee_for_student
from attestation.commissions.models import Sitting
from attestation.core.errors import DomainError

router = Router(tags=["applications"])
FILE_FIELDS = ("files", "evidence", "file")


class ApplicationOut(Schema):
    id: int
    kind: str
    status: str
    reason: str
    decision_reason: str | None = None
    new_sitting_id: int | None = None
    old_score: int | None = None
    new_score: int | None = None


class CreatedOut(Schema):
    id: int
    status: str


class DecisionIn(Schema):
    approve: bool
    reason: str
    new_score: int | None = None
    new_sitting_id: int | None = None


def _out(application: Application) -> dict:
    decided = application.status != Application.Status.SUBMITTED
    return {
        "id": application.pk,
        "kind": application.kind,
        "status": application.status,
        "reason": application.reason,
        "decision_reason": application.decision_reason if decided else None,
        "new_sitting_id": application.new_sitting_id,
        "old_score": application.old_score,
        "new_score": application.new_score,
    }


def _body(request) -> tuple[dict, list]:
    """JSON, or multipart with the evidence files."""
    if request.content_type.startswith("multipart/") or request.content_type.endswith(
        "x-www-form-urlencoded"
    ):
        files = [f for name in FILE_FIELDS for f in request.FILES.getlist(name)]
        return request.POST.dict(), files
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise DomainError(_("The request is not valid: send JSON or a form."), "invalid", 422)
    return data, []


CREATE_BODY = {
    "type": "object",
    "required": ["examinee_id", "kind", "reason", "text"],
    "properties": {
        "examinee_id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(Application.Kind.values)},
        "reason": {"type": "string", "enum": list(Application.Reason.values)},
        "text": {"type": "string"},
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}


@router.post(
    "/applications",
    response={201: CreatedOut},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": CREATE_BODY},
                "multipart/form-data": {"schema": CREATE_BODY},
            }
        }
    },
)
def application_create(request):
    """The student files an absence application or an appeal (R-17.1, R-27.1); evidence files
    (PDF or photos) in multipart `files`. An appeal before the announcement or after its
    deadline is 409; someone else's examinee is 404."""
    data, files = _body(request)
    try:
        examinee_id = int(data.get("examinee_id"))
    except (TypeError, ValueError):
        raise DomainError(_("Name the sitting: examinee_id."), "invalid", 422) from None
    examinee = get_examinee_for_student(request.auth, examinee_id)
    application = services.application_file(
        examinee=examinee,
        actor=request.auth,
        kind=str(data.get("kind") or ""),
        reason=str(data.get("reason") or ""),
        text=str(data.get("text") or ""),
        files=files,
    )
    return 201, {"id": application.pk, "status": application.status}


@router.get("/applications/{application_id}", response=ApplicationOut)
def application_detail(request, application_id: int):
    """Its student; the chair (absence) or the appeal commission (appeal)."""
    return _out(get_application_for_viewer(request.auth, application_id))


@router.post("/applications/{application_id}/decision", response=ApplicationOut)
def application_decision(request, application_id: int, payload: DecisionIn):
    """The chair decides an absence (`new_sitting_id`: where the student goes; the next sitting
    of the same form when left out); the appeal commission decides an appeal (`approve` with
    `new_score` changes the grade; `approve: false` keeps it). Deciding twice is 409."""
    application = get_application_for_decider(request.auth, application_id)
    if application.kind == Application.Kind.ABSENCE:
        target = None
        if payload.new_sitting_id is not None:
            target = Sitting.objects.filter(pk=payload.new_sitting_id).first()
            if target is None:
                raise DomainError(_("There is no such sitting."), "invalid_sitting", 422)
        application = services.absence_decide(
            application=application,
            actor=request.auth,
            approve=payload.approve,
            reason=payload.reason,
            new_sitting=target,
        )
    else:
        application = services.appeal_decide(
            application=application,
            actor=request.auth,
            approve=payload.approve,
            reason=payload.reason,
            new_score=payload.new_score,
        )
    return _out(application)
