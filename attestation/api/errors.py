"""The error format of CONTRACT.md: `{"detail": "<translated message>", "code": "<stable>"}`."""

from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from attestation.core.errors import DomainError


def error(api, request, status: int, detail: str, code: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


def install(api) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return error(api, request, exc.status, exc.message, exc.code)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error(api, request, 404, _("Not found."), "not_found")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return error(
            api, request, 401, _("Sign in first: send a valid token."), "not_authenticated"
        )

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

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 405: "method"}
        return error(api, request, exc.status_code, str(exc), codes.get(exc.status_code, "error"))
