"""The student's thesis page (R-19.1): the upload is offered only until the deadline; the
SHA-256 can wrap; the form carries what its progress bar needs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attestation.commissions.models import Examinee
from attestation.defense.services import thesis_upload
from tests.live_helpers import defense_ready, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def test_before_the_deadline_the_form_has_a_progress_bar(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    defense_ready(world, starts_at=timezone.now() + timedelta(days=4))
    examinee = Examinee.objects.get(pk=world.examinee.pk)
    thesis_upload(examinee=examinee, file=pdf_upload(pdf_bytes(2)), actor=examinee.student.user)
    html = client_for(world.user("student")).get(f"/kk/defense/examinees/{examinee.pk}/thesis/")
    html = html.content.decode()
    assert 'type="file"' in html and "data-thesis-form" in html
    assert f'data-max-bytes="{settings.THESIS_MAX_BYTES}"' in html  # not "52 428 800"
    assert "<progress" in html
    assert '<span class="small muted thesis__sha">SHA-256: <code>' in html


def test_after_the_deadline_no_picker_and_no_button(world, client_for):
    defense_ready(world, starts_at=timezone.now() + timedelta(days=1))
    html = client_for(world.user("student")).get(
        f"/en/defense/examinees/{world.examinee.pk}/thesis/"
    )
    html = html.content.decode()
    assert 'type="file"' not in html
    assert "Upload</button>" not in html
    assert "was due by" in html and "Ask the technical secretary to upload it." in html
