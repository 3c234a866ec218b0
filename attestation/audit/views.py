from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from attestation.audit.labels import ACTIONS, action_groups, action_label, state_label
from attestation.audit.models import AuditEntry


@login_required
def audit_log(request):
    """The audit log, newest first, for the registrar; filtered by an action or a group of
    them, chosen by name (`action` is a code or the start of one: old links keep working)."""
    if not request.user.is_registrar:
        raise Http404
    entries = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "").strip()
    if action in ACTIONS:  # one action: "Marked absent" is not "Absent for a valid reason"
        entries = entries.filter(action=action)
    elif action:  # a group ("examinee.") or the start of a code
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page.object_list:  # words for people; the code stays for the filter
        entry.action_label = action_label(entry.action)
        entry.from_label = state_label(entry.target_type, entry.from_state)
        entry.to_label = state_label(entry.target_type, entry.to_state)
    return render(
        request,
        "audit/log.html",
        {"page": page, "action": action, "groups": action_groups()},
    )
