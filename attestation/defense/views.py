"""The defence's pages and actions: the student's thesis upload (R-19.1), the thesis read in
the browser by the commission, written questions (R-22.2), interruptions (R-25.1).
Actions are POST-only, call services and redirect; errors come back as messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attestation.commissions.access import (
    get_examinee_for_staff,
    get_examinee_for_student,
    get_examinee_for_student_or_staff,
    sittings_for_staff,
)
from attestation.commissions.models import Sitting
from attestation.core.errors import DomainError
from attestation.defense import services
from attestation.defense.access import get_examinee_for_dossier
from attestation.defense.dossier import dossier_state
from attestation.defense.models import Interruption, Thesis, WrittenQuestion
from attestation.defense.pdfcheck import max_bytes


def _defense_examinee_for_student(user, pk):
    examinee = get_examinee_for_student(user, pk)
    if examinee.sitting.form != Sitting.Form.DEFENSE:
        raise Http404
    return examinee


def _try(request, action, success: str) -> bool:
    try:
        action()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@login_required
def thesis(request, pk: int):
    """The student's thesis page: what is uploaded, the deadline, the upload form."""
    examinee = _defense_examinee_for_student(request.user, pk)
    if request.method == "POST":
        _try(
            request,
            lambda: services.thesis_upload(
                examinee=examinee, file=request.FILES.get("file"), actor=request.user
            ),
            _("The thesis is uploaded."),
        )
        return redirect("defense:thesis", pk=examinee.pk)
    return render(
        request,
        "defense/thesis.html",
        {
            "examinee": examinee,
            "sitting": examinee.sitting,
            "thesis": Thesis.objects.filter(examinee=examinee).first(),
            # K-8: what the defence still waits for, so that the student can chase it.
            "state": dossier_state(examinee),
            "deadline": services.thesis_deadline(examinee.sitting),
            # After the deadline the student is not offered an upload the service refuses.
            "upload_open": timezone.now() <= services.thesis_deadline(examinee.sitting),
            "max_bytes": max_bytes(),
        },
    )


@login_required
def thesis_pdf(request, pk: int):
    """The thesis inline in the browser, for the commission, the department and the student
    (the dossier's other PDFs: `dossier_views.dossier_file`)."""
    examinee = get_examinee_for_dossier(request.user, pk)
    thesis = get_object_or_404(Thesis, examinee=examinee)
    response = FileResponse(thesis.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="thesis-{examinee.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def staff_upload(request, pk: int, kind: str):
    """The secretary: a late thesis (with a reason) or a review."""
    examinee = get_examinee_for_staff(request.user, pk)
    file = request.FILES.get("file")
    if kind == "thesis":
        reason = request.POST.get("reason", "")
        action = lambda: services.thesis_upload(  # noqa: E731
            examinee=examinee, file=file, actor=request.user, late_reason=reason
        )
    else:
        action = lambda: services.thesis_review_attach(  # noqa: E731
            examinee=examinee, kind=kind, file=file, actor=request.user
        )
    _try(request, action, _("The file is attached."))
    return redirect("live:sitting", pk=examinee.sitting_id)


@login_required
@require_POST
def question_post(request, pk: int):
    examinee = get_examinee_for_staff(request.user, pk)
    _try(
        request,
        lambda: services.written_question_post(
            examinee=examinee,
            actor=request.user,
            text=request.POST.get("text", ""),
            asked_for=request.POST.get("asked_for", ""),
        ),
        _("The question is sent to the student."),
    )
    return redirect("live:sitting", pk=examinee.sitting_id)


@login_required
@require_POST
def question_answer(request, pk: int):
    question = get_object_or_404(
        WrittenQuestion.objects.select_related("examinee"),
        pk=pk,
        examinee__student__user=request.user,
    )
    _try(
        request,
        lambda: services.written_question_answer(
            question=question, actor=request.user, answer=request.POST.get("answer", "")
        ),
        _("Your answer is sent."),
    )
    return redirect("cabinet:exam_room", pk=question.examinee_id)


@login_required
@require_POST
def interruption_report(request, pk: int):
    """The student's "my connection dropped" button, or the secretary recording it."""
    examinee = get_examinee_for_student_or_staff(request.user, pk)
    _try(
        request,
        lambda: services.interruption_report(
            examinee=examinee, actor=request.user, reason=request.POST.get("reason", "")
        ),
        _("The interruption is recorded: the commission will decide."),
    )
    if examinee.student.user_id == request.user.pk:
        return redirect("cabinet:exam_room", pk=examinee.pk)
    return redirect("live:sitting", pk=examinee.sitting_id)


@login_required
@require_POST
def interruption_resolve(request, pk: int):
    interruption = get_object_or_404(
        Interruption.objects.select_related("examinee"),
        pk=pk,
        examinee__sitting__in=sittings_for_staff(request.user),
    )
    _try(
        request,
        lambda: services.interruption_resolve(
            interruption=interruption,
            actor=request.user,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("The decision is recorded."),
    )
    return redirect("live:sitting", pk=interruption.examinee.sitting_id)
