from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from attestation.audit.models import AuditEntry


@login_required
def audit_log(request):
    """The audit log, newest first, for the registrar; filter by action or object."""
    if not request.user.is_registrar:
        raise Http404
    entries = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "action": action})
