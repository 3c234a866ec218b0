from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from attestation.applications.access import waiting_for
from attestation.cabinet.ics import calendar, examinee_event
from attestation.cabinet.services import student_schedule
from attestation.commissions.access import roles_of, sittings_for_staff


@login_required
def home(request):
    """The personal cabinet: what each of the person's roles needs first."""
    roles = roles_of(request.user)
    context = {"roles": roles}
    if "student" in roles:
        schedule = list(student_schedule(user=request.user))
        today = timezone.localdate()
        context["schedule"] = schedule
        # What the day is about: today's sittings first, then the results announced.
        context["today"] = [e for e in schedule if timezone.localdate(e.sitting.starts_at) == today]
        context["results"] = [e for e in schedule if e.sitting.announced_at]
    if roles & {"chair", "member", "secretary"}:
        context["staff_sittings"] = sittings_for_staff(request.user).select_related("commission")
        # An appeal commission's members serve in no sitting: their work is the applications.
        context["waiting_applications"] = waiting_for(request.user).count()
    return render(request, "cabinet/home.html", context)


def _student_or_404(request):
    if "student" not in roles_of(request.user):
        raise Http404
    return request.user.student


@login_required
def sac(request):
    """«Оқыту» → «МАК»: the student's final-attestation schedule (R-4.1, R-18.1)."""
    _student_or_404(request)
    return render(request, "cabinet/sac.html", {"schedule": student_schedule(user=request.user)})


@login_required
def sac_calendar(request):
    _student_or_404(request)
    events = [examinee_event(examinee) for examinee in student_schedule(user=request.user)]
    response = HttpResponse(calendar(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="attestation.ics"'
    return response
