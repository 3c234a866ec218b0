"""The chair's report page (K-15): the results by grade with the chart, honours, failures,
the chair's remarks (a form the chair saves) and the downloads. The chair of the commission
writes; the registrar reads; anyone else 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attestation.commissions.models import Membership
from attestation.core.errors import DomainError
from attestation.grading.results import distribution
from attestation.records import report, services
from attestation.records.access import get_commission_for_report, get_report_copy
from attestation.records.download import copy_file_name, copy_sha256, document_response
from attestation.records.models import ChairReport, ChairReportCopy
from attestation.records.ncanode import MAX_CMS_BYTES


@login_required
@require_GET
def chair_report(request, pk: int):
    commission = get_commission_for_report(request.user, pk)
    figures = report.figures_read(commission)
    is_chair = commission.memberships.filter(user=request.user, role=Membership.Role.CHAIR).exists()
    return render(
        request,
        "records/chair_report.html",
        {
            "commission": commission,
            "figures": figures,
            "chart": distribution(figures.finals),
            "remarks": report.remarks_of(commission),
            "copies": ChairReportCopy.objects.filter(report__commission=commission)
            .select_related("signed_by")
            .order_by("-number"),
            "may_edit": is_chair,
            "max_length": ChairReport.MAX_LENGTH,
            "languages": services.LANGUAGES,
        },
    )


@login_required
@require_POST
def chair_report_remarks(request, pk: int):
    commission = get_commission_for_report(request.user, pk, write=True)
    try:
        services.chair_report_save(
            commission=commission,
            actor=request.user,
            quality=request.POST.get("quality", ""),
            recommendations=request.POST.get("recommendations", ""),
        )
        messages.success(request, _("The report's remarks are saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("records:report", pk=commission.pk)


@login_required
@require_GET
def chair_report_download(request, pk: int, fmt: str):
    commission = get_commission_for_report(request.user, pk)
    language = request.GET.get("lang")
    if language not in services.LANGUAGES:
        language = get_language() if get_language() in services.LANGUAGES else "kk"
    data = report.report_render(commission, fmt, language)
    return document_response(data, fmt, f"chair-report-{commission.code}-{language}")


@login_required
@require_POST
def chair_report_sign(request, pk: int):
    """The chair signs the report in the chosen language (a detached ЭЦП optional)."""
    commission = get_commission_for_report(request.user, pk, write=True)
    upload = request.FILES.get("cms")
    try:
        data = None
        if upload is not None:
            if upload.size > MAX_CMS_BYTES:
                raise DomainError(_("The signature file is too large."), "too_large", 413)
            data = upload.read() or None
        copy, created = services.chair_report_sign(
            commission=commission,
            actor=request.user,
            language=request.POST.get("language", ""),
            cms=data,
        )
        message = (
            _("You signed copy № %(number)s of the report.")
            if created
            else _("Nothing changed since copy № %(number)s: it stays the signed one.")
        )
        messages.success(request, message % {"number": copy.number})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("records:report", pk=commission.pk)


@login_required
@require_GET
def chair_report_copy_download(request, pk: int, fmt: str):
    """A signed copy: the bytes stored at the signature, the same on every download."""
    copy = get_report_copy(request.user, pk)
    data = bytes(copy.pdf if fmt == "pdf" else copy.docx)
    return document_response(data, fmt, copy_file_name(copy), sha256=copy_sha256(copy, fmt))
