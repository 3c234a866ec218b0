"""A PDF that opens with an action or carries JavaScript is accepted but flagged (stored, and
shown to the staff); an ordinary PDF is not. Files built with pypdf, as a word processor or an
attacker would write them."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from attestation.applications.evidence import evidence_check
from attestation.commissions.models import Sitting
from attestation.defense import services
from attestation.defense.models import Thesis
from attestation.defense.pdfcheck import ACTIVE_MARKERS, pdf_active_content
from attestation.live.services import queue_call_next
from tests.live_helpers import defense_ready, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_js("app.alert('hello');")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def with_open_action() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "active"),
    [(pdf_bytes(2), False), (with_javascript(), True), (with_open_action(), True)],
    ids=["plain", "javascript", "open-action"],
)
def test_active_content_is_recognised(data, active):
    assert pdf_active_content(PdfReader(BytesIO(data)), data) is active


def test_a_font_subset_name_is_not_an_additional_action():
    assert ACTIVE_MARKERS.search(b"/BaseFont /AAAAAB+Arial") is None
    assert ACTIVE_MARKERS.search(b"/JSON-ish /JavaScripts") is None
    assert ACTIVE_MARKERS.search(b"<< /AA << /O 5 0 R >> >>") is not None


def test_a_thesis_with_javascript_is_accepted_flagged_and_shown(
    world, settings, tmp_path, client_for
):
    settings.MEDIA_ROOT = tmp_path
    sitting = defense_ready(world, starts_at=timezone.now() + timedelta(days=5))
    thesis = services.thesis_upload(
        examinee=world.examinee, file=pdf_upload(with_javascript()), actor=world.user("student")
    )
    assert Thesis.objects.get(pk=thesis.pk).active_content == ["pdf"]
    student = world.user("student")
    services.thesis_upload(examinee=world.examinee, file=pdf_upload(pdf_bytes(2)), actor=student)
    assert Thesis.objects.get(pk=thesis.pk).active_content == []
    services.thesis_upload(
        examinee=world.examinee, file=pdf_upload(with_open_action()), actor=student
    )
    # The commission sees the flag beside the thesis of the examinee being heard.
    Sitting.objects.filter(pk=sitting.pk).update(starts_at=timezone.now())
    queue_call_next(sitting=Sitting.objects.get(pk=sitting.pk), actor=world.user("secretary"))
    html = client_for(world.user("secretary")).get(f"/en/live/sittings/{sitting.pk}/")
    assert html.status_code == 200
    assert "contains JavaScript or an open action" in html.content.decode()


def test_evidence_with_javascript_is_accepted_and_flagged():
    checked = evidence_check(
        SimpleUploadedFile("e.pdf", with_javascript(), "application/pdf"), name="e.pdf"
    )
    assert checked.active is True
    plain = evidence_check(SimpleUploadedFile("e.pdf", pdf_bytes(1), "application/pdf"))
    assert plain.active is False
