"""Pages and files of the written answer. Every file goes through an access check here: the
uploaded photos are never on a public URL (settings: MEDIA_URL points nowhere)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from attestation.answers import images, services, ui
from attestation.answers.access import viewer_examinee
from attestation.answers.models import AnswerDocument, AnswerPage
from attestation.commissions.access import get_examinee_for_student
from attestation.commissions.models import Examinee
from attestation.core.errors import DomainError
from attestation.tickets.services import examinee_draw


@login_required
@require_GET
def student_page(request, examinee_id: int):
    """The student's answer page. The ticket page hosts the same panel
    (`answers/upload_panel.html`); this page shows it on its own."""
    examinee = get_examinee_for_student(request.user, examinee_id)
    # The panel's deadlines read `examinee.draw`: read with its ticket in one statement.
    Examinee.draw.related.set_cached_value(examinee, examinee_draw(examinee))
    return render(request, "answers/student_page.html", {"examinee": examinee})


@login_required
@require_GET
def page_image(request, page_id: int):
    """One stored page: its student, or the commission of its sitting; anyone else 404."""
    page = get_object_or_404(AnswerPage, pk=page_id)
    viewer_examinee(request.user, page.examinee_id)
    return _serve_page(request, page)


@login_required
@require_GET
def answer_pdf(request, examinee_id: int):
    examinee = viewer_examinee(request.user, examinee_id)
    document = get_object_or_404(AnswerDocument, examinee=examinee)
    response = FileResponse(
        document.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"answer-{examinee.sitting.code}-{examinee.position}.pdf",
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def phone(request, token: str):
    """The phone's page, opened from the QR code: no sign-in, the token is the key."""
    try:
        link = services.upload_link_resolve(token)
    except DomainError as error:
        return render(request, "answers/phone_invalid.html", {"message": error.message}, status=404)
    examinee = link.examinee
    state = ui.panel_state(examinee)
    state["pages"] = ui.pages_data(examinee, token=token)
    context = {"examinee": examinee, "link": link, "token": token, "state": state}
    response = render(request, "answers/phone.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def phone_page_image(request, token: str, page_id: int):
    try:
        link = services.upload_link_resolve(token)
    except DomainError:
        raise Http404 from None
    page = get_object_or_404(AnswerPage, pk=page_id, examinee=link.examinee)
    return _serve_page(request, page)


def _serve_page(request, page: AnswerPage) -> HttpResponse:
    if request.GET.get("size") == "thumb":
        with page.image.open("rb") as handle:
            response = HttpResponse(images.thumbnail(handle), content_type="image/jpeg")
    else:
        response = FileResponse(page.image.open("rb"), content_type="image/jpeg")
    # A row's image never changes (a retake is a new row), so browsers may keep it a while.
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="page-{page.number}.jpg"'
    return response
