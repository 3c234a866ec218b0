from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from attestation.core.storage import StorageFull


class StorageFullMiddleware:
    """A full media disk on a page (the API answers its own 507 JSON): the person reads why
    their file was not saved instead of a server error. Views that catch DomainError
    already show the message themselves; this covers the rest."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StorageFull) or request.path.startswith("/api/"):
            return None
        back = request.META.get("HTTP_REFERER", "")
        if request.headers.get("HX-Request") or not url_has_allowed_host_and_scheme(
            back, {request.get_host()}, request.is_secure()
        ):
            return HttpResponse(
                exception.message, status=507, content_type="text/plain; charset=utf-8"
            )
        messages.error(request, exception.message)
        return HttpResponseRedirect(back)
