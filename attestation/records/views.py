"""The official record's pages (K-5 … K-7): a sitting's numbered protocols, their downloads,
the signature button (with an optional detached ЭЦП) and the chair's characterisation of an
answer. Actions are POST-only: access (404) → service → message → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attestation.commissions.access import get_sitting_for_registrar_or_staff, roles_in
from attestation.commissions.models import Membership
from attestation.core.errors import DomainError
from attestation.graduates.access import may_read_graduates
from attestation.records import services
from attestation.records.access import get_protocol_for_reader, get_protocol_for_signer
from attestation.records.download import document_response
from attestation.records.models import Protocol
from attestation.records.ncanode import MAX_CMS_BYTES


@login_required
@require_GET
def sitting_protocols(request, pk: int):
    """The sitting's protocols: number, kind, status, hash, who signed; downloads and signing."""
    sitting = get_sitting_for_registrar_or_staff(request.user, pk)
    rows = []
    is_chair = Membership.Role.CHAIR in roles_in(request.user, sitting.commission)
    for protocol in services.protocols_ensure(sitting=sitting):
        signers = services.signers_of(protocol)
        signed_by = {s.user_id for s in protocol.signatures.all()}
        rows.append(
            {
                "protocol": protocol,
                "examinee": protocol.examinee,
                "signatures": sorted(protocol.signatures.all(), key=lambda s: s.signed_at),
                "may_sign": request.user.pk in signers and request.user.pk not in signed_by,
                "may_characterise": is_chair
                and not protocol.signed
                and protocol.kind == Protocol.Kind.EXAMINEE,
                "comments": _comments(protocol) if is_chair and not protocol.signed else [],
            }
        )
    return render(
        request,
        "records/sitting_protocols.html",
        {
            "sitting": sitting,
            "rows": rows,
            "announced": sitting.announced_at is not None,
            # The chair's report (K-15): its chair writes it, the registrar reads it.
            "report_link": is_chair or request.user.is_registrar,
            # The chair decides the degree with the graduates' GPA and honours (K-10).
            "graduates_link": may_read_graduates(request.user, sitting.commission),
        },
    )


def _comments(protocol: Protocol) -> list[str]:
    """The members' comments, offered to the chair writing the characterisation."""
    if protocol.examinee is None:
        return []
    return [
        f"{s.member.display_name}: {s.comment.strip()}"
        for s in protocol.examinee.scores.select_related("member")
        if s.comment.strip()
    ]


@login_required
@require_GET
def protocol_download(request, pk: int, fmt: str):
    protocol = get_protocol_for_reader(request.user, pk)
    language = request.GET.get("lang")
    data = services.protocol_bytes(
        protocol, fmt, language if language in services.LANGUAGES else None, request.user
    )
    return document_response(data, fmt, f"protocol-{protocol.year}-{protocol.number}")


@login_required
@require_POST
def protocol_sign(request, pk: int):
    protocol = get_protocol_for_signer(request.user, pk)
    upload = request.FILES.get("cms")
    try:
        data = None
        if upload is not None:
            if upload.size > MAX_CMS_BYTES:
                raise DomainError(_("The signature file is too large."), "too_large", 413)
            data = upload.read() or None
        services.protocol_sign(protocol=protocol, actor=request.user, cms=data)
        messages.success(
            request, _("You signed protocol № %(number)s.") % {"number": protocol.number}
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("records:sitting", pk=protocol.sitting_id)


@login_required
@require_POST
def protocol_characterise(request, pk: int):
    """The chair's characterisation of the answer, while the protocol is a draft."""
    protocol = get_protocol_for_reader(request.user, pk)
    if Membership.Role.CHAIR not in roles_in(request.user, protocol.sitting.commission):
        raise Http404
    try:
        services.protocol_characterise(
            protocol=protocol, actor=request.user, text=request.POST.get("text", "")
        )
        messages.success(request, _("The characterisation is saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("records:sitting", pk=protocol.sitting_id)
