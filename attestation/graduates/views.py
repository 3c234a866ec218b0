"""The graduates' pages (K-10, K-11): the commission's graduates for its chair and the
registrar — GPA, final grades, outcome, the diploma with honours and why not, before the
degree decision — and the registrar's two XLSX lists for the orders."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attestation.commissions.models import Sitting
from attestation.graduates import exports
from attestation.graduates.access import get_commission_for_graduates, graduate_commissions_for
from attestation.graduates.honours import ENDS_STUDIES, OUTCOME_LABELS, PASSED, min_gpa_setting
from attestation.graduates.roster import commission_graduates

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BADGES = {"passed": "green", "failed": "red", "absent": "red", "postponed": "amber"}


@login_required
@require_GET
def index(request):
    """The commissions whose graduates the person reads: the registrar's all, a chair's own."""
    commissions = list(graduate_commissions_for(request.user).order_by("-year", "title"))
    if not commissions and not request.user.is_registrar:
        raise Http404
    return render(request, "graduates/index.html", {"commissions": commissions})


@login_required
@require_GET
def commission(request, pk: int):
    """One row per student: GPA, finals, outcome, honours with the reasons (K-10)."""
    commission = get_commission_for_graduates(request.user, pk)
    graduates = commission_graduates(commission)
    rows = [
        {
            "graduate": g,
            "outcome_label": OUTCOME_LABELS[g.outcome],
            "badge": BADGES.get(g.outcome, "grey"),
        }
        for g in graduates
    ]
    defences = commission.sittings.filter(form=Sitting.Form.DEFENSE).order_by("starts_at")
    return render(
        request,
        "graduates/commission.html",
        {
            "commission": commission,
            "rows": rows,
            "counts": {
                "total": len(graduates),
                "passed": sum(1 for g in graduates if g.outcome == PASSED),
                "honours": sum(1 for g in graduates if g.honours.eligible),
                "ended": sum(1 for g in graduates if g.outcome in ENDS_STUDIES),
            },
            "defences": list(defences),
            "is_registrar": request.user.is_registrar,
            "min_gpa": min_gpa_setting(),
        },
    )


def _registrar_commission(request, pk: int):
    if not request.user.is_registrar:
        raise Http404
    return get_commission_for_graduates(request.user, pk)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def expulsion_xlsx(request, pk: int):
    """Failed or absent without a valid reason (K-11): for the expulsion order."""
    commission = _registrar_commission(request, pk)
    return _xlsx(exports.expulsion_xlsx(commission), f"studies-end-{commission.code}.xlsx")


@login_required
@require_GET
def awarded_xlsx(request, pk: int):
    """Awarded the degree, with honours or not, and the degree protocol's number and date."""
    commission = _registrar_commission(request, pk)
    return _xlsx(exports.awarded_xlsx(commission), f"awarded-{commission.code}.xlsx")
