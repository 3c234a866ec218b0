from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext as _
from ninja import Router

from attestation.accounts.services import (
    api_token_issue,
    api_token_revoke,
    signin_attempt_begin,
    signin_attempt_end,
)
from attestation.api.schemas import ErrorOut, MeOut, ScheduleItem, TokenIn, TokenOut
from attestation.cabinet.services import student_schedule
from attestation.commissions.access import roles_of
from attestation.core.errors import DomainError
from attestation.core.net import client_ip

router = Router(tags=["me"])


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def token(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (throttled like the sign-in page)."""
    attempt = signin_attempt_begin(username=payload.username, ip=client_ip(request))
    if attempt is None:
        raise DomainError(_("Too many failed attempts. Try again later."), "throttled", 429)
    user = authenticate(request, username=payload.username, password=payload.password)
    signin_attempt_end(attempt=attempt, succeeded=user is not None)
    if user is None:
        raise DomainError(_("Wrong username or password."), "bad_credentials", 401)
    return {"token": api_token_issue(user=user)}


@router.post("/auth/logout", response={204: None})
def token_logout(request):
    """Revoke the bearer token this request carries (a browser session is signed out)."""
    key = getattr(request, "api_token_key", None)
    if key:
        api_token_revoke(key=key)
    else:
        logout(request)
    return 204, None


@router.get("/me", response=MeOut)
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.display_name,
        "roles": sorted(roles_of(user)),
    }


@router.get("/me/schedule", response=list[ScheduleItem])
def schedule(request):
    """The student's final-attestation schedule (R-4.1). Empty for anyone not a student."""
    return [
        {
            "examinee_id": e.pk,
            "sitting_id": e.sitting_id,
            "kind": e.sitting.form,
            "starts_at": e.sitting.starts_at,
            "conference_url": e.sitting.conference_url,
            "status": e.status,
        }
        for e in student_schedule(user=request.auth)
    ]
