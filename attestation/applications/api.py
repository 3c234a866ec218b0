"""Applications in the API (CONTRACT.md): file one, read one, decide one."""

from datetime import datetime

import pydantic
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from attestation.api.types import LONG, SAYS_SOMETHING, Reason, Text
from attestation.applications import services
from attestation.applications.access import (
    get_application_for_decider,
    get_application_for_viewer,
)
from attestation.applications.models import Application
from attestation.commissions.access import get_examinee_for_student
from attestation.commissions.models import Sitting
from attestation.core.errors import DomainError
from attestation.core.input import check_strings, json_loads

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


class ApplicationDecisionIn(Schema):
    approve: bool
    reason: Reason
    new_score: int | None = None
    new_sitting_id: int | None = None
    # K-12: the second sitting's start, ISO 8601 with its UTC offset.
    new_sitting_starts_at: datetime | None = None


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


class ApplicationCreateIn(Schema):
    examinee_id: int
    kind: Text = ""
    reason: Text = ""
    text: Text = ""


def _body(request) -> tuple[ApplicationCreateIn, list]:
    """JSON, or multipart with the evidence files; read as strictly as every other body (the
    API's parser): text is text, an id is a finite whole number."""
    if request.content_type.startswith("multipart/") or request.content_type.endswith(
        "x-www-form-urlencoded"
    ):
        files = [f for name in FILE_FIELDS for f in request.FILES.getlist(name)]
        data = check_strings(request.POST.dict())
    else:
        data, files = json_loads(request.body or b"{}"), []
    if not isinstance(data, dict):
        raise DomainError(_("The request is not valid: send JSON or a form."), "invalid", 422)
    try:
        return ApplicationCreateIn.model_validate(data), files
    except pydantic.ValidationError as error:
        fields = sorted({str(item["loc"][0]) for item in error.errors() if item.get("loc")})
        if fields == ["examinee_id"]:
            raise DomainError(_("Name the sitting: examinee_id."), "invalid", 422) from None
        raise DomainError(
            _("The request is not valid: %(fields)s.") % {"fields": ", ".join(fields) or "-"},
            "invalid",
            422,
        ) from None


CREATE_BODY = {
    "type": "object",
    "required": ["examinee_id", "kind", "reason", "text"],
    "properties": {
        "examinee_id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(Application.Kind.values)},
        "reason": {"type": "string", "enum": list(Application.Reason.values)},
        # Blank text is refused ("Write what happened.").
        "text": {"type": "string", "minLength": 1, "maxLength": LONG, "pattern": SAYS_SOMETHING},
        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    },
}


@router.post(
    "/applications",
    response={201: CreatedOut},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": CREATE_BODY},
                "multipart/form-data": {"schema": CREATE_BODY},
            },
        }
    },
)
def application_create(request):
    """The student files an absence application, an appeal (R-17.1, R-27.1, K-13) or a repeat
    attestation for a failed part (K-11: `kind: repeat`, its reason taken from the record);
    evidence files (PDF or photos) in multipart `files`. An appeal before the announcement or
    after its deadline is 409; a repeat for a passed part is 409 `passed`, before a year after
    the sitting 409 `too_early` (naming the date); someone else's examinee is 404."""
    data, files = _body(request)
    examinee = get_examinee_for_student(request.auth, data.examinee_id)
    application = services.application_file(
        examinee=examinee,
        actor=request.auth,
        kind=data.kind,
        reason=data.reason,
        text=data.text,
        files=files,
    )
    return 201, {"id": application.pk, "status": application.status}


@router.get("/applications/{application_id}", response=ApplicationOut)
def application_detail(request, application_id: int):
    """Its student; the chair (absence), the appeal commission (appeal), the chair of the SAC
    (repeat). `new_sitting_id`: where the student was moved or placed."""
    return _out(get_application_for_viewer(request.auth, application_id))


@router.post("/applications/{application_id}/decision", response=ApplicationOut)
def application_decision(request, application_id: int, payload: ApplicationDecisionIn):
    """The chair decides an absence: `new_sitting_id` is where the student goes, or
    `new_sitting_starts_at` (ISO 8601 with offset) the start of the second sitting — that of
    the commission and form starting then, else created; the next sitting of the same form
    when both are left out. A start in the past, before the sitting or more than a year after
    it is 422 with nothing stored. The chair of the SAC decides a repeat attestation
    (`new_sitting_id`, optional: a later sitting to place the student in). The appeal
    commission decides an appeal (`approve` with `new_score` changes the grade, up or down;
    `approve: false` keeps it). Deciding twice is 409."""
    application = get_application_for_decider(request.auth, application_id)
    starts_at = payload.new_sitting_starts_at
    if starts_at is not None and timezone.is_naive(starts_at):
        raise DomainError(
            _("Give the date and time with its UTC offset, e.g. 2026-12-02T10:00:00+05:00."),
            "invalid",
            422,
        )
    target = None
    if payload.new_sitting_id is not None and application.kind != Application.Kind.APPEAL:
        target = Sitting.objects.filter(pk=payload.new_sitting_id).first()
        if target is None:
            raise DomainError(_("There is no such sitting."), "invalid_sitting", 422)
    if application.kind == Application.Kind.ABSENCE:
        application = services.absence_decide(
            application=application,
            actor=request.auth,
            approve=payload.approve,
            reason=payload.reason,
            new_sitting=target,
            new_sitting_starts_at=starts_at,
        )
    elif application.kind == Application.Kind.REPEAT:
        application = services.repeat_decide(
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
