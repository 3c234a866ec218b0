"""The defence dossier's pages (SPEC K-8): the department's list of its programmes' defence
examinees with each dossier's state, the dossier page (a form for the technical secretary and
the department, read-only for the commission and the student) and its PDFs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from attestation.commissions.models import Sitting
from attestation.core.errors import DomainError
from attestation.defense import dossier as service
from attestation.defense.access import (
    can_enter_dossier,
    defense_examinees_for_department,
    department_programmes,
    get_examinee_for_dossier,
)
from attestation.defense.models import Dossier, Thesis
from attestation.defense.pdfcheck import max_bytes
from attestation.grading.scale import grade_for


def _defense_examinee(user, pk):
    examinee = get_examinee_for_dossier(user, pk)
    if examinee.sitting.form != Sitting.Form.DEFENSE:
        raise Http404
    return examinee


@login_required
def department(request):
    """The department's defence examinees (its programmes only), each with what is missing."""
    programmes = department_programmes(request.user)
    if not programmes:
        raise Http404
    rows = [
        {"examinee": e, "state": service.dossier_state(e, getattr(e, "dossier", None))}
        for e in defense_examinees_for_department(request.user)
    ]
    return render(
        request,
        "defense/department.html",
        {"rows": rows, "programmes": sorted(programmes)},
    )


@login_required
def dossier(request, pk: int):
    """The dossier of one defence examinee; POST enters it (the given fields and files)."""
    examinee = _defense_examinee(request.user, pk)
    can_enter = can_enter_dossier(request.user, examinee)
    if request.method == "POST":
        if not can_enter:
            raise Http404
        raw = {name: request.POST.get(name) for name in service.FIELDS}
        files = {name: request.FILES.get(name) for name in service.FILES}
        try:
            service.dossier_update(examinee=examinee, actor=request.user, raw=raw, files=files)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The dossier is saved."))
        return redirect("defense:dossier", pk=examinee.pk)
    d = service.dossier_of(examinee) or Dossier(examinee=examinee)
    state = service.dossier_state(examinee, d)
    return render(
        request,
        "defense/dossier.html",
        {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "dossier": d,
            "state": state,
            "thesis": Thesis.objects.filter(examinee=examinee).first(),
            "reviewer_grade": grade_for(d.reviewer_grade) if d.reviewer_grade is not None else None,
            "thresholds": service.thresholds(),
            "percent_labels": {name: service.field_label(name) for name in service.PERCENTS},
            "systems": Dossier.System.choices,
            "decisions": Dossier.Decision.choices,
            "can_enter": can_enter,
            "max_bytes": max_bytes(),
            "is_department": bool(department_programmes(request.user)),
        },
    )


@login_required
def dossier_file(request, pk: int, name: str):
    """A PDF of the dossier, inline, for whoever reads the dossier (served sandboxed)."""
    examinee = get_examinee_for_dossier(request.user, pk)
    if name not in service.FILES:
        raise Http404
    d = service.dossier_of(examinee)
    field = getattr(d, name, None) if d else None
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{examinee.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
