"""Application pages. The student files and follows their own (presale side); the chair and
the appeal commission review and decide (control side). Actions are POST-only: access (404)
→ input → service → message → redirect. Files are served only here, after an access check."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attestation.answers.models import AnswerDocument, AnswerPage
from attestation.applications import services
from attestation.applications.access import (
    applications_of_student,
    can_decide,
    decidable_by,
    get_application_for_decider,
    get_application_for_viewer,
    waiting_for,
)
from attestation.applications.deadlines import absence_deadline, appeal_deadline, repeat_opens
from attestation.applications.evidence import MAX_FILES, PDF
from attestation.applications.forms import SecondSittingStartForm
from attestation.applications.models import Application, Evidence
from attestation.applications.repeat import failure_reason, repeat_candidates, repeat_refusal
from attestation.commissions.access import get_examinee_for_student
from attestation.commissions.models import Examinee
from attestation.core.errors import DomainError
from attestation.core.widgets import join_date_time, parse_local
from attestation.records.sitting import protocol_pdf

A = Application
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def filing_options(examinee: Examinee, now=None) -> list[str]:
    """Which kinds of application the student may file for this place, now."""
    now = now or timezone.now()
    sitting = examinee.sitting
    kinds = []
    if examinee.status in services.NOT_SAT and now <= absence_deadline(sitting):
        kinds.append(A.Kind.ABSENCE)
    deadline = appeal_deadline(sitting)
    if deadline and examinee.final_score is not None and now < deadline:
        kinds.append(A.Kind.APPEAL)
    # K-11: a failed part, a year on (no query unless the part is failed).
    if sitting.announced_at and failure_reason(examinee) and repeat_refusal(examinee, now) is None:
        kinds.append(A.Kind.REPEAT)
    if kinds:
        # Not on offer what application_file would refuse: a second one of a kind while the
        # first waits, a second appeal, a second approved repeat. (The schedule reads them
        # with its rows: no query per row, cabinet/services.py.)
        filed_applications = getattr(examinee, "filed_applications", None)
        if filed_applications is None:
            filed_applications = examinee.applications.all()
        filed = [(a.kind, a.status) for a in filed_applications]
        kinds = [k for k in kinds if not any(_blocks(k, kind, status) for kind, status in filed)]
    return kinds


def _blocks(wanted: str, kind: str, status: str) -> bool:
    if kind != wanted:
        return False
    if status == A.Status.SUBMITTED or kind == A.Kind.APPEAL:
        return True
    return kind == A.Kind.REPEAT and status == A.Status.APPROVED


@login_required
@require_GET
def mine(request):
    """The student's applications, with status and the decision's reason."""
    if not hasattr(request.user, "student"):
        raise Http404
    places = (
        Examinee.objects.filter(student__user=request.user)
        .select_related("sitting")
        .prefetch_related("applications")
    )
    places = list(places.order_by("sitting__starts_at"))
    open_places = [(e, filing_options(e)) for e in places]
    context = {
        "applications": applications_of_student(request.user).prefetch_related("evidence"),
        "places": [(e, kinds) for e, kinds in open_places if kinds],
        # K-11: a failed part the student may apply to repeat later, and from when.
        "repeat_later": [
            (e, repeat_opens(e.sitting))
            for e in places
            if failure_reason(e) and getattr(repeat_refusal(e), "code", "") == "too_early"
        ],
    }
    return render(request, "applications/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new(request, examinee_id: int):
    """File an absence application (with evidence) or an appeal for one place."""
    examinee = get_examinee_for_student(request.user, examinee_id)
    kinds = filing_options(examinee)
    kind = request.POST.get("kind") or request.GET.get("kind") or (kinds[0] if kinds else "")
    if request.method == "GET" and kind not in kinds:
        # A kind no longer on offer (already filed) is not shown as a form to fill in.
        kind = kinds[0] if kinds else ""
    if request.method == "POST":
        try:
            services.application_file(
                examinee=examinee,
                actor=request.user,
                kind=kind,
                reason=request.POST.get("reason", ""),
                text=request.POST.get("text", ""),
                files=request.FILES.getlist("files"),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your application has been sent."))
            return redirect("applications:mine")
    reasons = services.APPEAL_REASONS if kind == A.Kind.APPEAL else services.ABSENCE_REASONS
    if kind == A.Kind.REPEAT:
        reasons = ()  # the record's, not the student's choice (K-11)
    context = {
        "examinee": examinee,
        "sitting": examinee.sitting,
        "kind": kind if kind in A.Kind.values else "",
        "kinds": [(k, A.Kind(k).label) for k in kinds],
        "reasons": [(r, A.Reason(r).label) for r in reasons],
        "max_files": MAX_FILES,
        "absence_deadline": absence_deadline(examinee.sitting),
        "appeal_deadline": appeal_deadline(examinee.sitting),
        "form": request.POST,
        "waiting": examinee.applications.filter(status=A.Status.SUBMITTED).exists(),
        "failure": failure_reason(examinee),
    }
    return render(request, "applications/new.html", context)


@login_required
@require_GET
def queue(request):
    """Waiting applications for the chair (absence) and the appeal commission (appeals)."""
    decided = decidable_by(request.user).exclude(status=A.Status.SUBMITTED)
    context = {
        "waiting": waiting_for(request.user).prefetch_related("evidence"),
        "decided": decided.order_by("-decided_at")[:30],
    }
    return render(request, "applications/queue.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    """One application: evidence, and for the deciders the decision form; for an appeal the
    answer pages, the ticket and the sitting's protocol."""
    application = get_application_for_viewer(request.user, pk)
    examinee = application.examinee
    decider = can_decide(request.user, application)
    context = {"application": application, "examinee": examinee, "sitting": examinee.sitting}
    context["decider"] = decider
    context["evidence"] = list(application.evidence.all())
    if decider and application.kind == A.Kind.ABSENCE:
        context["candidates"] = list(services.candidate_sittings(examinee.sitting))
        context["proposed"] = services.proposed_sitting(examinee.sitting)
        context["start_form"] = SecondSittingStartForm()
    if decider and application.kind == A.Kind.REPEAT:
        context["candidates"] = list(repeat_candidates(examinee, request.user))
    if decider and application.kind == A.Kind.APPEAL:
        draw = getattr(examinee, "draw", None)
        context["ticket"] = draw.ticket if draw else None
        context["pages"] = list(AnswerPage.objects.filter(examinee=examinee).order_by("number"))
        context["answer_pdf"] = AnswerDocument.objects.filter(examinee=examinee).exists()
    return render(request, "applications/detail.html", context)


@login_required
@require_POST
def decide(request, pk: int):
    application = get_application_for_decider(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    reason = request.POST.get("reason", "")
    try:
        if application.kind == A.Kind.ABSENCE:
            _decide_absence(request, application, approve=approve, reason=reason)
        elif application.kind == A.Kind.REPEAT:
            _decide_repeat(request, application, approve=approve, reason=reason)
        else:
            services.appeal_decide(
                application=application,
                actor=request.user,
                approve=approve,
                reason=reason,
                new_score=request.POST.get("new_score") if approve else None,
            )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("applications:detail", pk=application.pk)


def _decide_absence(request, application: Application, *, approve: bool, reason: str) -> None:
    """K-12: a date and time written in the boxes sets the second sitting (an existing one
    at that moment, else a new one); left empty, the sitting chosen in the list is used."""
    starts_at = None
    if approve:  # a rejection moves no one: the boxes are not read
        form = SecondSittingStartForm(request.POST)
        if not form.is_valid():
            raise DomainError(form.errors["new_sitting_starts_at"][0], "invalid", 422)
        starts_at = form.cleaned_data["new_sitting_starts_at"]
    target = None
    if starts_at is None and _is_id(request.POST.get("new_sitting", "")):
        candidates = services.candidate_sittings(application.examinee.sitting)
        target = candidates.filter(pk=request.POST["new_sitting"]).first()
    services.absence_decide(
        application=application,
        actor=request.user,
        approve=approve,
        reason=reason,
        new_sitting=target,
        new_sitting_starts_at=starts_at,
    )


def _decide_repeat(request, application: Application, *, approve: bool, reason: str) -> None:
    """K-11: the sitting chosen in the list places the student; none records the approval."""
    chosen = request.POST.get("new_sitting", "")
    target = None
    if approve and _is_id(chosen):
        target = repeat_candidates(application.examinee, request.user).filter(pk=chosen).first()
        if target is None:
            raise DomainError(_("There is no such sitting."), "invalid_sitting", 422)
    services.repeat_decide(
        application=application,
        actor=request.user,
        approve=approve,
        reason=reason,
        new_sitting=target,
    )


@login_required
@require_POST
def second_sitting(request, pk: int):
    """The chair creates a second sitting from the decision page (R-17.1)."""
    application = get_application_for_decider(request.user, pk)
    if application.kind != A.Kind.ABSENCE:
        raise Http404
    # Two text boxes (date, 24-hour time); one ISO "starts_at" is still accepted.
    starts_at = _local_datetime(request.POST.get("starts_at", "")) or parse_local(
        join_date_time(request.POST.get("starts_at_date"), request.POST.get("starts_at_time"))
    )
    try:
        sitting = services.second_sitting_create(
            original=application.examinee.sitting, actor=request.user, starts_at=starts_at
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("applications:detail", pk=application.pk)
    messages.success(request, _("The second sitting is created."))
    url = reverse("applications:detail", kwargs={"pk": application.pk})
    return redirect(f"{url}?sitting={sitting.pk}#decision")


@login_required
@require_GET
def evidence(request, pk: int):
    item = get_object_or_404(Evidence, pk=pk)
    get_application_for_viewer(request.user, item.application_id)
    pdf = item.file.name.endswith(".pdf")
    response = FileResponse(item.file.open("rb"), content_type=PDF if pdf else "image/jpeg")
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = (
        f'inline; filename="evidence-{item.pk}.{"pdf" if pdf else "jpg"}"'
    )
    return response


@login_required
@require_GET
def answer_page(request, pk: int, page_id: int):
    """An answer page, for the appeal commission (the answers' own view serves only the SAC)."""
    application = get_application_for_decider(request.user, pk)
    page = get_object_or_404(AnswerPage, pk=page_id, examinee_id=application.examinee_id)
    response = FileResponse(page.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def answer_pdf(request, pk: int):
    application = get_application_for_decider(request.user, pk)
    document = get_object_or_404(AnswerDocument, examinee_id=application.examinee_id)
    return FileResponse(document.pdf.open("rb"), content_type=PDF)


@login_required
@require_GET
def sitting_protocol(request, pk: int):
    """The sitting's protocol, for whoever decides the application."""
    application = get_application_for_decider(request.user, pk)
    data = protocol_pdf(application.examinee.sitting, request.GET.get("lang", "kk"))
    return _download(data, PDF, f"protocol-{application.examinee.sitting.code}.pdf")


@login_required
@require_GET
def appeal_protocol(request, pk: int, fmt: str):
    """The appeal protocol (PDF or DOCX, kk/ru), once the appeal is decided."""
    application = get_application_for_viewer(request.user, pk)
    if application.kind != A.Kind.APPEAL or application.status == A.Status.SUBMITTED:
        raise Http404
    # The numbered appeal protocol of the record (records/): once signed, its stored bytes.
    from attestation.records.models import Protocol
    from attestation.records.services import LANGUAGES, protocol_bytes, protocols_ensure

    protocols_ensure(sitting=application.examinee.sitting)
    protocol = Protocol.objects.select_related("sitting", "amends", "application").get(
        application=application
    )
    language = request.GET.get("lang")
    data = protocol_bytes(protocol, fmt, language if language in LANGUAGES else None, None)
    name = f"appeal-{protocol.year}-{protocol.number}.{fmt}"
    return _download(data, PDF if fmt == "pdf" else DOCX, name)


def _is_id(value: str) -> bool:
    """A row id as a form sends it (an id past 64 bits would overflow the database)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-cache"
    return response


def _local_datetime(value: str) -> datetime | None:
    """`<input type=datetime-local>` in the server's time zone (Asia/Almaty)."""
    try:
        parsed = parse_datetime(value.strip()) if value else None
    except ValueError:  # well formed but not a date, e.g. month 13: "give the date" again
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
