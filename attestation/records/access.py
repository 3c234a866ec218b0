"""Who reads and who signs a protocol. Outside a person's scope it is 404 (STYLE.md)."""

from django.http import Http404

from attestation.commissions.models import Membership
from attestation.core.rawsql import row_id
from attestation.records.models import Protocol

K = Protocol.Kind


def _protocol(pk) -> Protocol:
    pk = row_id(pk)
    if pk is None:
        raise Http404
    try:
        return Protocol.objects.select_related(
            "sitting__commission", "commission", "examinee__student", "amends", "application"
        ).get(pk=pk)
    except Protocol.DoesNotExist:
        raise Http404 from None


def may_read(user, protocol: Protocol) -> bool:
    """The registrar; the sitting's commission; for an appeal protocol also the appeal
    commission and the student."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_registrar:
        return True
    commissions = {protocol.sitting.commission_id}
    if protocol.kind == K.APPEAL:
        commissions.add(protocol.commission_id)
        if protocol.examinee and protocol.examinee.student.user_id == user.pk:
            return True
    return Membership.objects.filter(user=user, commission_id__in=commissions).exists()


def get_protocol_for_reader(user, pk) -> Protocol:
    from attestation.records.services import hides_anything

    protocol = _protocol(pk)
    if not may_read(user, protocol):
        raise Http404
    if protocol.signed and hides_anything(user, protocol):
        # Blind scoring: the frozen sitting protocol lists every member's score.
        raise Http404
    return protocol


def get_protocol_for_signer(user, pk) -> Protocol:
    from attestation.records.services import signers_of

    protocol = _protocol(pk)
    if not getattr(user, "is_authenticated", False) or user.pk not in signers_of(protocol):
        raise Http404
    return protocol


def get_commission_for_report(user, pk, *, write: bool = False):
    """The chair's report (K-15): its commission's chair reads and writes it; the registrar
    reads it. Anyone else, and any other commission, is 404."""
    from attestation.commissions.models import Commission

    pk = row_id(pk)
    if pk is None or not getattr(user, "is_authenticated", False):
        raise Http404
    commission = Commission.objects.filter(pk=pk, kind=Commission.Kind.SAC).first()
    if commission is None:
        raise Http404
    chair = Membership.objects.filter(
        user=user, commission=commission, role=Membership.Role.CHAIR
    ).exists()
    if chair or (user.is_registrar and not write):
        return commission
    raise Http404


def get_report_copy(user, pk):
    """A signed copy of the chair's report, for the readers of its report."""
    from attestation.records.models import ChairReportCopy

    pk = row_id(pk)
    copy = (
        ChairReportCopy.objects.select_related("report__commission").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if copy is None:
        raise Http404
    get_commission_for_report(user, copy.report.commission_id)
    return copy
