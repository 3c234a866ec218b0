"""Incidents for the commission of their sitting; anyone else 404 (STYLE.md)."""

from collections.abc import Iterable

from django.http import Http404

from attestation.commissions.access import STAFF_ROLES, sittings_for_staff
from attestation.commissions.models import Membership
from attestation.proctoring.models import Incident

# Who decides on a violation: the chair and the technical secretary.
DECIDERS = (Membership.Role.CHAIR, Membership.Role.SECRETARY)


def get_incident_for_staff(user, pk, roles: Iterable[str] = STAFF_ROLES) -> Incident:
    try:
        return Incident.objects.select_related("examinee__sitting").get(
            pk=pk, examinee__sitting__in=sittings_for_staff(user, roles)
        )
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
