"""The error format of CONTRACT.md: `{"detail": "<translated message>", "code": "<stable>"}`,
for every error under /api/v1/ — those the operations raise (here) and those Django answers
before or around them: an unknown path, a wrong method, a crash (`ApiErrorMiddleware`)."""

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from attestation.core.errors import DomainError

logger = logging.getLogger("django.request")
PREFIX = "/api/v1/"


def error(api, request, status: int, detail: str, code: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def _messages() -> dict[int, tuple[str, str]]:
    """What Django or ninja answered without our words, in ours."""
    return {
        400: (_("The request could not be read."), "bad_request"),
        401: (_("Sign in first: send a valid token."), "not_authenticated"),
        403: (_("You may not do this."), "forbidden"),
        404: (_("Not found."), "not_found"),
        405: (_("This method is not allowed here."), "method_not_allowed"),
        413: (_("The request is too large."), "too_large"),
        429: (_("Too many requests. Try again later."), "throttled"),
        500: (_("Something went wrong on our side. Try again in a minute."), "server_error"),
    }


def described(status: int) -> tuple[str, str]:
    return _messages().get(status, (_("The request could not be handled."), "error"))


def retry_after(exc) -> str:
    return str(getattr(exc, "retry_after", None) or settings.SIGNIN_WINDOW_SECONDS)


def install(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        extra = getattr(exc, "extra", None) or {}
        response = error(api, request, exc.status, exc.message, exc.code, **extra)
        if exc.status == 429:
            response["Retry-After"] = retry_after(exc)
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error(api, request, 404, *described(404))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        response = error(api, request, 401, *described(401))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        problems = []
        for item in exc.errors:
            where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("body",))
            problems.append({"field": where, "message": item.get("msg", "")})
        detail = _("The request is not valid: %(fields)s.") % {
            "fields": ", ".join(p["field"] for p in problems if p["field"]) or "-"
        }
        return error(api, request, 422, detail, "invalid", errors=problems)

    @api.exception_handler(MultiPartParserError)
    def bad_upload(request, exc):
        # e.g. a file name over Django's limit: the parser fails before any view runs.
        return error(
            api,
            request,
            400,
            _("The upload could not be read. Choose the file again."),
            "bad_upload",
        )

    @api.exception_handler(RequestDataTooBig)
    def too_large(request, exc):
        return error(api, request, 413, *described(413))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        # ninja wraps whatever the body parser raised in a 400 "Cannot parse request body":
        # the parser's own refusal (core/input) says what is wrong, in the user's language.
        cause = exc.__cause__
        if isinstance(cause, DomainError):
            return domain_error(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return too_large(request, cause)
        return error(api, request, exc.status_code, *described(exc.status_code))

    @api.exception_handler(Exception)
    def crashed(request, exc):
        # As Django does for an uncaught exception: the signal (the test client re-raises on
        # it), the log with the traceback; then our format instead of an HTML or text page.
        signals.got_request_exception.send(sender=None, request=request)
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"request": request}
        )
        return error(api, request, 500, *described(500))


class ApiErrorMiddleware:
    """Under /api/v1/, an error answered outside the operations (Django's 404 for an unknown
    path, ninja's bare 405, Django's 400/500 pages) becomes `{detail, code}` JSON; headers
    such as `Allow` and `Retry-After` are kept."""

    KEEP = ("Allow", "Retry-After", "WWW-Authenticate")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            detail, code = described(response.status_code)
            replaced = JsonResponse({"detail": detail, "code": code}, status=response.status_code)
            for header in self.KEEP:
                if header in response:
                    replaced[header] = response[header]
            if response.status_code == 429 and "Retry-After" not in replaced:
                replaced["Retry-After"] = retry_after(None)
            return replaced
        return response


# The errors every operation can answer, whatever it does: they come from this module, the
# parser and the access helpers, not from the operation's own code, so they are documented
# here once rather than in fifty `response={...}` (issue 11: 25 of 50 documented no 4xx).
EVERY_OPERATION = (404, 409, 422)  # out of scope or unknown; a domain error; invalid input
WITH_A_BODY = (400, 413)  # a body that is not JSON or not a form; over the size limit
SIGNED_IN = (401,)


def document(api) -> None:
    """Add the plumbing's error statuses (with `ErrorOut`) to every operation's documented
    responses; what an operation declares itself is kept."""
    from attestation.api.schemas import ErrorOut

    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                statuses = list(EVERY_OPERATION)
                if operation.auth_callbacks:
                    statuses += SIGNED_IN
                if set(operation.methods) - {"GET", "HEAD"}:
                    statuses += WITH_A_BODY
                for status in statuses:
                    if status not in operation.response_models:
                        operation.response_models[status] = operation._create_response_model(
                            ErrorOut
                        )
