from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from attestation.notices.models import Notice
from attestation.notices.services import notices_mark_read


@login_required
def notice_list(request):
    """The person's notices, newest first; unread ones stand out until marked read."""
    notices = list(Notice.objects.filter(user=request.user)[:100])
    return render(request, "notices/list.html", {"notices": notices})


@login_required
@require_POST
def notices_read(request):
    notices_mark_read(user=request.user)
    return redirect("notices:list")
