"""The console's proctoring columns. The data for a whole sitting is read once per request
(a fixed number of queries, whatever the number of examinees) and kept on the request."""

from collections import defaultdict

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from attestation.commissions.models import Membership
from attestation.proctoring.access import DECIDERS
from attestation.proctoring.camera import FLAGS, camera_flag
from attestation.proctoring.models import CameraStatus, Incident, IncidentDecision

register = template.Library()


def _sitting_data(request, sitting) -> dict:
    cache = request.__dict__.setdefault("_proctoring_console", {})
    if sitting.pk not in cache:
        incidents = defaultdict(list)
        rows = (
            Incident.objects.filter(examinee__sitting=sitting)
            .select_related("recorded_by")
            .prefetch_related(
                Prefetch(
                    "decisions", queryset=IncidentDecision.objects.select_related("decided_by")
                )
            )
            .order_by("at", "pk")
        )
        for incident in rows:
            incidents[incident.examinee_id].append(incident)
        roles = set(
            Membership.objects.filter(
                user=request.user, commission_id=sitting.commission_id
            ).values_list("role", flat=True)
        )
        cameras = {c.examinee_id: c for c in CameraStatus.objects.filter(examinee__sitting=sitting)}
        cache[sitting.pk] = {
            "incidents": incidents,
            "cameras": cameras,
            "can_decide": bool(roles & set(DECIDERS)),
            "now": timezone.now(),
        }
    return cache[sitting.pk]


@register.simple_tag(takes_context=True)
def proctoring_row(context, examinee) -> dict:
    """Incidents, the camera flag and what the viewer may do, for one examinee."""
    data = _sitting_data(context["request"], examinee.sitting)
    incidents = data["incidents"].get(examinee.pk, [])
    camera = data["cameras"].get(examinee.pk)
    flag = camera_flag(examinee, camera, data["now"])
    return {
        "incidents": incidents,
        "latest": incidents[-1] if incidents else None,
        "camera": camera,
        "flag": flag,
        "flag_label": FLAGS.get(flag, ""),
        "can_decide": data["can_decide"],
    }


@register.simple_tag
def proctoring_why(examinee) -> str:
    """Why the attestation is suspended or stopped (for the student's page)."""
    from attestation.proctoring.views import _why

    return _why(examinee)


@register.simple_tag
def incident_categories():
    return Incident.Category.choices


@register.simple_tag
def camera_heartbeat_seconds() -> int:
    from attestation.proctoring.camera import heartbeat_seconds

    return heartbeat_seconds()
