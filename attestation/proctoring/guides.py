"""Before the attestation, for the student: what is needed (R-1.1), how to set the camera
(R-1.2), how to prepare the answer sheets (R-7.1), the rules (R-2.1), and a self-check of the
camera, microphone, network and browser."""

import os
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from attestation.commissions.models import Examinee
from attestation.core.headers import camera_allowed
from attestation.core.rawsql import row_id

PROBE_MAX_KB = 512


def _examinee(request):
    """The place the student came from (`?examinee=`, from the exam room's links), else the
    nearest sitting still to come, else the latest: for the link back to the exam room."""
    if not hasattr(request.user, "student"):
        return None
    places = Examinee.objects.filter(student__user=request.user).select_related("sitting")
    chosen = row_id(request.GET.get("examinee"))
    if chosen is not None:
        place = places.filter(pk=chosen).first()
        if place is not None:
            return place
    # A sitting that began a few hours ago is still "today's".
    upcoming = places.filter(sitting__starts_at__gte=timezone.now() - timedelta(hours=6))
    return (
        upcoming.order_by("sitting__starts_at", "pk").first()
        or places.order_by("-sitting__starts_at", "-pk").first()
    )


@login_required
@require_GET
def prepare(request):
    return render(request, "proctoring/prepare.html", {"examinee": _examinee(request)})


@login_required
@require_GET
@camera_allowed  # the camera and microphone test
def self_check(request):
    return render(
        request,
        "proctoring/self_check.html",
        {"examinee": _examinee(request), "probe_kb": 256, "texts": _self_check_texts()},
    )


@login_required
@require_GET
@never_cache
def probe(request):
    """A small payload from our own server for the network check: incompressible bytes so
    that the measured throughput is real."""
    try:
        size = int(request.GET.get("kb", "64"))
    except ValueError:
        size = 64
    size = max(1, min(size, PROBE_MAX_KB))
    response = HttpResponse(os.urandom(size * 1024), content_type="application/octet-stream")
    response["Cache-Control"] = "no-store"
    return response


def _self_check_texts() -> dict:
    """The words the self-check script shows, translated here (the script has no catalog)."""
    return {
        "checking": _("checking…"),
        "ok": _("fine"),
        "ready": _("Ready: your camera, microphone, connection and browser work."),
        "problems": _("Problems found:"),
        "no_media": _("This browser cannot use the camera."),
        "denied": _("Access to the camera or microphone was refused: allow it in the browser."),
        "no_camera": _("No camera found."),
        "no_mic": _("No microphone found."),
        "slow": _("The connection is slow: %(speed)s Mbit/s."),
        "latency": _("The server answers slowly: %(ms)s ms."),
        "offline": _("The server could not be reached."),
        "missing": _("The browser lacks: %(features)s. Update it or use another browser."),
        "speed": _("%(ms)s ms, %(speed)s Mbit/s"),
        "camera": _("Camera"),
        "microphone": _("Microphone"),
        "network": _("Connection"),
        "browser": _("Browser"),
    }
