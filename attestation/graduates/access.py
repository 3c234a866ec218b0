"""Who reads a commission's graduates: its chair and the registrar (CONTRACT.md). Anyone
else — members, the deputy chair, the secretary, students — gets 404, as for any object
outside their scope (STYLE.md). Only a SAC has graduates; an appeal commission is 404."""

from django.http import Http404

from attestation.commissions.models import Commission, Membership
from attestation.core.rawsql import row_id


def may_read_graduates(user, commission: Commission) -> bool:
    if not getattr(user, "is_authenticated", False) or commission.kind != Commission.Kind.SAC:
        return False
    if user.is_registrar:
        return True
    return Membership.objects.filter(
        user=user, commission=commission, role=Membership.Role.CHAIR
    ).exists()


def get_commission_for_graduates(user, pk) -> Commission:
    pk = row_id(pk)
    commission = Commission.objects.filter(pk=pk).first() if pk is not None else None
    if commission is None or not may_read_graduates(user, commission):
        raise Http404
    return commission


def graduate_commissions_for(user):
    """The SACs whose graduates `user` reads (for the links on their pages)."""
    commissions = Commission.objects.filter(kind=Commission.Kind.SAC)
    if getattr(user, "is_registrar", False):
        return commissions
    return commissions.filter(
        memberships__user=user, memberships__role=Membership.Role.CHAIR
    ).distinct()
