"""Reading the camera heartbeats for the console (R-2.1): flags are prompts, not verdicts."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attestation.commissions.models import Examinee

WATCHED = Examinee.ADMITTED_STATUSES
FLAGS = {
    "no_signal": _("no camera signal yet"),
    "page_closed": _("exam page closed or offline"),
    "page_hidden": _("exam page hidden"),
    "camera_off": _("camera stopped"),
}


def grace() -> timedelta:
    return timedelta(seconds=getattr(settings, "CAMERA_GRACE_SECONDS", 45))


def heartbeat_seconds() -> int:
    return getattr(settings, "CAMERA_HEARTBEAT_SECONDS", 15)


def camera_flag(examinee: Examinee, status, now=None) -> str | None:
    """Why the commission should look at this student's camera, or None. `status` is the
    examinee's CameraStatus (or None)."""
    if examinee.status not in WATCHED:
        return None
    now = now or timezone.now()
    seen = examinee.camera_seen_at
    if seen is None:
        return "no_signal"
    if now - seen <= grace():
        return None
    if status is None or now - status.reported_at > grace():
        return "page_closed"
    if not status.page_visible:
        return "page_hidden"
    return "camera_off"
