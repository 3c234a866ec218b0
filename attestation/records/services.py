"""The official record's state changes (K-5 … K-7, K-13): numbering the protocols a sitting
needs, freezing a protocol at its first signature, and signing. Plain functions,
keyword-only arguments, one transaction each, an audit row for every change."""

import hashlib

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attestation.applications.models import Application
from attestation.audit.services import log_action
from attestation.commissions.models import Commission, Membership, Sitting
from attestation.core.errors import DomainError
from attestation.grading.board import document_view
from attestation.records import content, render
from attestation.records.models import Protocol, Signature
from attestation.records.numbering import counter_lock, number_next
from attestation.records.presence import members_present

R = Membership.Role
K = Protocol.Kind
LANGUAGES = ("kk", "ru", "en")
NOT_SAT = ("absent", "absent_valid", "moved")


def _create(*, commission: Commission, kind: str, sitting: Sitting, **fields) -> Protocol:
    number = number_next(commission.pk, commission.year)
    return Protocol.objects.create(
        commission=commission,
        year=commission.year,
        number=number,
        kind=kind,
        sitting=sitting,
        **fields,
    )


def protocols_ensure(*, sitting: Sitting) -> list[Protocol]:
    """Number the protocols the sitting needs and does not have yet: one per examinee with a
    decided grade (in the list's order), the sitting's, the degree protocol once a defence is
    announced, and one per decided appeal. Safe to call from any number of requests at once:
    the counter's lock is taken before reading what is missing (numbering.py)."""
    commission = sitting.commission
    with transaction.atomic():
        counter_lock(commission.pk, commission.year)
        have = set(
            Protocol.objects.filter(
                sitting=sitting, kind=K.EXAMINEE, amends__isnull=True
            ).values_list("examinee_id", flat=True)
        )
        kinds = set(
            Protocol.objects.filter(sitting=sitting, kind__in=[K.SITTING, K.DEGREE]).values_list(
                "kind", flat=True
            )
        )
        examinees = sitting.examinees.filter(final_score__isnull=False).exclude(status__in=NOT_SAT)
        for examinee in examinees.order_by("position"):
            if examinee.pk not in have:
                _create(commission=commission, kind=K.EXAMINEE, sitting=sitting, examinee=examinee)
            else:
                _correction_ensure(commission, sitting, examinee)
        if K.SITTING not in kinds:
            _create(commission=commission, kind=K.SITTING, sitting=sitting)
        if (
            sitting.form == Sitting.Form.DEFENSE
            and sitting.announced_at is not None
            and K.DEGREE not in kinds
        ):
            _create(commission=commission, kind=K.DEGREE, sitting=sitting)
        appeals = (
            Application.objects.filter(
                examinee__sitting=sitting, kind=Application.Kind.APPEAL, protocol__isnull=True
            )
            .exclude(status=Application.Status.SUBMITTED)
            .select_related("examinee")
            .order_by("decided_at", "pk")
        )
        appeal_commission = commission.appeal_commission
        for application in appeals:
            amended = (
                Protocol.objects.filter(examinee=application.examinee, kind=K.EXAMINEE)
                .order_by("-number")
                .first()
            )
            _create(
                commission=appeal_commission or commission,
                kind=K.APPEAL,
                sitting=sitting,
                examinee=application.examinee,
                application=application,
                amends=amended,
            )
    return list(sitting_protocols(sitting))


def _correction_ensure(commission: Commission, sitting: Sitting, examinee) -> None:
    """The chair changed a grade after the examinee's protocol was signed (grading's
    `grade.change`, with its reason): a new numbered protocol amends the signed one (K-6),
    which stays as it was. An appeal's change has the appeal protocol instead."""
    from attestation.audit.models import AuditEntry

    latest = Protocol.objects.filter(examinee=examinee, kind=K.EXAMINEE).order_by("-number").first()
    if latest is None or not latest.signed:
        return
    change = (
        AuditEntry.objects.filter(
            action="grade.change",
            target_type=examinee._meta.label_lower,
            target_id=str(examinee.pk),
            at__gt=latest.signed_at,
        )
        .order_by("-at", "-id")
        .first()
    )
    if change is None:
        return
    _create(
        commission=commission,
        kind=K.EXAMINEE,
        sitting=sitting,
        examinee=examinee,
        amends=latest,
        reason=change.reason,
    )


def sitting_protocols(sitting: Sitting):
    return (
        Protocol.objects.filter(sitting=sitting)
        .select_related("commission", "amends")
        .prefetch_related("signatures")
        .order_by("kind", "number")
    )


# --- Rendering ------------------------------------------------------------------------------


def _language(language: str | None, protocol: Protocol) -> str:
    return language if language in LANGUAGES else protocol.language


def protocol_render(protocol: Protocol, fmt: str, language: str, viewer=None) -> bytes:
    """A draft as `viewer` may see it (blind scoring holds: board.document_view)."""
    from attestation.records import sitting as sitting_protocol

    with translation.override(language):
        if protocol.kind == K.SITTING:
            make = sitting_protocol.protocol_pdf if fmt == "pdf" else sitting_protocol.protocol_docx
            return make(protocol.sitting, language, viewer)
        data = content.BUILDERS[protocol.kind](protocol, language, viewer)
        return render.pdf_render(data) if fmt == "pdf" else render.docx_render(data)


def protocol_bytes(protocol: Protocol, fmt: str, language: str | None, viewer) -> bytes:
    """What a download answers: a signed protocol's stored bytes, always the same; a draft
    rendered now in `language`."""
    if protocol.signed:
        return bytes(protocol.pdf if fmt == "pdf" else protocol.docx)
    return protocol_render(protocol, fmt, _language(language, protocol), viewer)


def hides_anything(viewer, protocol: Protocol) -> bool:
    """True when blind scoring would hide part of this signed protocol from `viewer` (only
    the sitting protocol lists members' scores): its frozen bytes are not for them."""
    if protocol.kind != K.SITTING:
        return False
    view = document_view(viewer, protocol.sitting)
    return any(
        view(list(e.scores.all())) != (True, True)
        for e in protocol.sitting.examinees.prefetch_related("scores")
    )


# --- Signing --------------------------------------------------------------------------------


def signers_of(protocol: Protocol) -> dict[int, str]:
    """`{user_id: role}`: the chair, the members present and the secretary (K-5); for an
    appeal protocol, the appeal commission's."""
    if protocol.kind == K.APPEAL:
        memberships = protocol.commission.memberships.all()
        return {m.user_id: m.role for m in memberships}
    examinee = protocol.examinee if protocol.kind == K.EXAMINEE else None
    present = members_present(protocol.sitting, examinee)
    return {
        m.user_id: m.role for group in ("chair", "members", "secretaries") for m in present[group]
    }


def _freeze(protocol: Protocol, actor) -> Protocol:
    """Render the record once, store its bytes and hash; the hash enters the audit chain."""
    with transaction.atomic():
        locked = Protocol.objects.select_for_update().get(pk=protocol.pk)
        if locked.signed:
            return locked
        if locked.sitting.announced_at is None:
            raise DomainError(
                _("A protocol is signed after the results are announced."), "not_announced"
            )
        language = locked.language
        locked.pdf = protocol_render(locked, "pdf", language)
        locked.docx = protocol_render(locked, "docx", language)
        locked.sha256 = hashlib.sha256(locked.pdf).hexdigest()
        locked.docx_sha256 = hashlib.sha256(locked.docx).hexdigest()
        if locked.examinee_id is not None and locked.kind == K.EXAMINEE:
            locked.score = content.protocol_score(locked)
        locked.status = Protocol.Status.SIGNED
        locked.signed_at = timezone.now()
        locked.save()
        log_action(
            actor=actor,
            action="protocol.freeze",
            target=locked,
            from_state=Protocol.Status.DRAFT,
            to_state=Protocol.Status.SIGNED,
            data={
                "kind": locked.kind,
                "number": locked.number,
                "year": locked.year,
                "sha256": locked.sha256,
                "docx_sha256": locked.docx_sha256,
            },
        )
        return locked


def protocol_sign(*, protocol: Protocol, actor, cms: bytes | None = None) -> tuple[Signature, bool]:
    """`actor` signs (K-5, K-6): the first signature freezes the protocol. A second signature
    by the same person returns the first, unchanged. A detached ЭЦП (CMS) is stored bound to
    the hash and verified through NCANode when one is configured."""
    from attestation.records import ncanode

    role = signers_of(protocol).get(actor.pk)
    if role is None:
        raise DomainError(_("You do not sign this protocol."), "not_a_signer", 404)
    existing = Signature.objects.filter(protocol=protocol, user=actor).first()
    if existing is not None:
        return existing, False
    frozen = _freeze(protocol, actor)
    ecp, detail = Signature.Ecp.NONE, ""
    if cms:
        ecp, detail = ncanode.cms_verify(cms=cms, data=bytes(frozen.pdf))
    with transaction.atomic():
        locked = Protocol.objects.select_for_update().get(pk=frozen.pk)
        existing = Signature.objects.filter(protocol=locked, user=actor).first()
        if existing is not None:
            return existing, False
        signature = Signature.objects.create(
            protocol=locked,
            user=actor,
            role=role,
            sha256=locked.sha256,
            cms=cms or None,
            ecp=ecp,
            ecp_detail=detail,
        )
        log_action(
            actor=actor,
            action="protocol.sign",
            target=locked,
            to_state=role,
            data={"sha256": locked.sha256, "ecp": ecp, "number": locked.number},
        )
    return signature, True


def protocol_characterise(*, protocol: Protocol, actor, text: str) -> Protocol:
    """The chair writes the characterisation of the answer (K-5) into a draft examinee
    protocol; a signed one is never rewritten."""
    text = (text or "").strip()
    if len(text) > 4000:
        raise DomainError(_("The characterisation is too long."), "too_long", 422)
    with transaction.atomic():
        locked = (
            Protocol.objects.select_for_update().select_related("commission").get(pk=protocol.pk)
        )
        chair = Membership.objects.filter(
            user=actor, commission_id=locked.sitting.commission_id, role=R.CHAIR
        ).exists()
        if not chair or locked.kind != K.EXAMINEE:
            raise DomainError(_("Only the chair characterises the answer."), "not_chair", 404)
        if locked.signed:
            raise DomainError(
                _("The protocol is signed: a change is a new protocol."), "protocol_signed"
            )
        before = locked.characterisation
        locked.characterisation = text
        locked.save(update_fields=["characterisation"])
        log_action(
            actor=actor,
            action="protocol.characterise",
            target=locked,
            data={"before": before, "after": text},
        )
    return locked


# --- The chair's report (K-15) ---------------------------------------------------------------


def chair_report_save(*, commission: Commission, actor, quality: str, recommendations: str):
    """The chair saves the report's remarks on the quality of training and recommendations.
    Each is at most `ChairReport.MAX_LENGTH` characters; an unchanged save writes nothing."""
    from attestation.core.input import check_text
    from attestation.records.models import ChairReport

    # A browser sends a textarea's line breaks as CRLF but counts them as one character for
    # its maxlength: counted here the same way, a full field is not refused.
    texts = {
        name: (value or "").replace("\r\n", "\n").strip()
        for name, value in (("quality", quality), ("recommendations", recommendations))
    }
    for value in texts.values():
        check_text(value)
        if len(value) > ChairReport.MAX_LENGTH:
            raise DomainError(
                _("A remark is at most %(limit)s characters.") % {"limit": ChairReport.MAX_LENGTH},
                "too_long",
                422,
            )
    with transaction.atomic():
        if not Membership.objects.filter(user=actor, commission=commission, role=R.CHAIR).exists():
            raise DomainError(_("Only the chair writes the report."), "not_chair", 404)
        report, _created = ChairReport.objects.get_or_create(commission=commission)
        before = {name: getattr(report, name) for name in texts}
        if before == texts:
            return report
        for name, value in texts.items():
            setattr(report, name, value)
        report.updated_at, report.updated_by = timezone.now(), actor
        report.save()
        log_action(
            actor=actor,
            action="report.remarks",
            target=commission,
            data={"before": before, "after": texts},
        )
    return report


def chair_report_sign(*, commission: Commission, actor, language: str, cms: bytes | None = None):
    """The chair signs the report in `language` (K-15): the next numbered copy, its PDF and
    DOCX stored with their SHA-256 and never regenerated, with an optional detached ЭЦП
    over the PDF. Signing an unchanged report again returns the latest copy. Returns
    `(copy, created)`."""
    from attestation.records import ncanode, report
    from attestation.records.models import ChairReport, ChairReportCopy

    if not Membership.objects.filter(user=actor, commission=commission, role=R.CHAIR).exists():
        raise DomainError(_("Only the chair signs the report."), "not_chair", 404)
    if language not in LANGUAGES:
        raise DomainError(_("The report is made in kk, ru or en."), "invalid", 422)
    if not report.report_sittings(commission).exists():
        raise DomainError(
            _("The report is signed once a sitting's results are announced."), "not_announced"
        )
    latest = ChairReportCopy.objects.filter(report__commission=commission).order_by("-number")
    latest = latest.first()
    made = report.copy_render(commission, language, (latest.number if latest else 0) + 1)
    if latest is not None and latest.content_sha256 == made["content_sha256"]:
        return latest, False
    ecp, detail = Signature.Ecp.NONE, ""
    if cms:
        ecp, detail = ncanode.cms_verify(cms=cms, data=made["pdf"])
    with transaction.atomic():
        chair_report, _created = ChairReport.objects.get_or_create(commission=commission)
        ChairReport.objects.select_for_update().filter(pk=chair_report.pk).first()
        number = ChairReportCopy.objects.filter(report=chair_report).order_by("-number").first()
        number = (number.number if number else 0) + 1
        if number != (latest.number if latest else 0) + 1:
            # Another signature came in meanwhile: this one's bytes carry a stale number.
            raise DomainError(_("The report was signed meanwhile: reload the page."), "conflict")
        copy = ChairReportCopy.objects.create(
            report=chair_report,
            number=number,
            language=language,
            signed_by=actor,
            cms=cms or None,
            ecp=ecp,
            ecp_detail=detail,
            **made,
        )
        log_action(
            actor=actor,
            action="report.sign",
            target=commission,
            to_state=str(number),
            data={
                "number": number,
                "language": language,
                "sha256": copy.sha256,
                "docx_sha256": copy.docx_sha256,
                "ecp": ecp,
            },
        )
    return copy, True
