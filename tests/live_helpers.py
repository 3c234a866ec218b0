"""Putting a live (oral or defence) sitting into a state with the real services."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from attestation.commissions.models import Examinee, Sitting
from attestation.tickets.models import Draw
from tests.test_grading_world import admit


def make_form(world, form: str, **fields) -> Sitting:
    Sitting.objects.filter(pk=world.sitting.pk).update(form=form, **fields)
    world.sitting.refresh_from_db()
    for examinee in (world.examinee, world.other_examinee):
        examinee.refresh_from_db()
    return world.sitting


def draws_ago(sitting, minutes: float) -> None:
    """Move every draw of the sitting back in time (a live server cannot be time-travelled)."""
    Draw.objects.filter(sitting=sitting).update(
        drawn_at=timezone.now() - timedelta(minutes=minutes)
    )


def oral_ready(world, *, minutes_ago: float = 31) -> Sitting:
    """An oral exam where both world examinees drew `minutes_ago` minutes ago."""
    sitting = make_form(world, Sitting.Form.ORAL_EXAM)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    draws_ago(sitting, minutes_ago)
    return sitting


def defense_ready(world, **fields) -> Sitting:
    sitting = make_form(world, Sitting.Form.DEFENSE, **fields)
    Examinee.objects.filter(pk=world.examinee.pk).update(
        thesis_topic="Ақпараттық жүйелердегі қауіпсіздік",
        supervisor="Оспанов Д.",
        reviewer="Ким А.",
    )
    admit(world, world.examinee, draw=False)
    admit(world, world.other_examinee, draw=False)
    return sitting


def started_ago(examinee, minutes: float) -> None:
    Examinee.objects.filter(pk=examinee.pk).update(
        questioning_started_at=timezone.now() - timedelta(minutes=minutes)
    )


def pdf_bytes(pages: int = 3, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(data: bytes | None = None, name: str = "thesis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, "application/pdf")
