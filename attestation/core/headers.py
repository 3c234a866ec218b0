"""Content-Security-Policy and Permissions-Policy on every response.

Pages: scripts only from our own origin (htmx and our modules in static/js; no inline script,
no inline handlers, no eval), nothing framed, forms only to us. `style-src` allows
'unsafe-inline': pages carry a few dozen `style="…"` attributes, and htmx adds its indicator
style; a style cannot run code, so with script locked down this is a small trade.

Files people uploaded (theses, reviews, evidence, answer pages and PDFs) are served with
`Content-Security-Policy: sandbox`: a PDF or image opened in the browser runs in an opaque
origin, with no scripts and no access to the site's cookies.

The camera and microphone are off everywhere except on the views marked `@camera_allowed`
(the self-check and the exam room, R-2.1)."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse

SANDBOX = "sandbox"
NO_DEVICES = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"
CAMERA = "camera=(self), microphone=(self), geolocation=(), payment=(), usb=(), display-capture=()"


def page_policy() -> str:
    images = ["'self'", "data:", "blob:"]
    logo = urlsplit(settings.UNIVERSITY_LOGO_URL or "")
    if logo.scheme in ("http", "https") and logo.netloc:
        images.append(f"{logo.scheme}://{logo.netloc}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src {' '.join(images)}",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def camera_allowed(view):
    """This view's page may ask for the camera and microphone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.setdefault("Permissions-Policy", CAMERA)
        return response

    return wrapped


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, FileResponse):
            # An uploaded file, whatever the view set: never run as part of our origin.
            response["Content-Security-Policy"] = SANDBOX
        else:
            response.setdefault("Content-Security-Policy", page_policy())
        response.setdefault("Permissions-Policy", NO_DEVICES)
        return response
