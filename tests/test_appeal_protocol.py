"""The appeal protocol (PDF and DOCX, kk/ru) and the sitting protocol's applications section."""

import io

import pytest
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from attestation.applications import services
from attestation.records.appeal import (
    appeal_protocol_docx,
    appeal_protocol_pdf,
    sitting_application_notes,
)
from attestation.records.sitting import protocol_docx, protocol_pdf
from tests.applications_world import (
    absent,
    announced,
    appeal_decided,
    next_sitting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_appeal(world):
    announced(world, score=62)
    return appeal_decided(world, approve=True, reason="Жауап толық, баға көтерілді.", new_score=81)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_appeal_protocol_pdf_holds_names_and_both_grades(decided_appeal, language):
    text = pdf_text(appeal_protocol_pdf(decided_appeal, language))
    for expected in ("Абаев Әлихан", "Апелляция Төрағасы Қайрат", "62", "81", "C-", "B"):
        assert expected in text, expected


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_appeal_protocol_docx_holds_names_and_both_grades(decided_appeal, language):
    text = docx_text(appeal_protocol_docx(decided_appeal, language))
    for expected in ("Абаев Әлихан", "Апелляция Төрағасы Қайрат", "Жауап толық", "62", "81"):
        assert expected in text, expected


def test_sitting_protocol_lists_the_valid_absence_and_the_appeal(world, decided_appeal):
    text = pdf_text(protocol_pdf(world.sitting, "kk"))
    assert "Абаев Әлихан" in text and "81" in text


def test_sitting_protocol_shows_the_move_on_both_sittings(world):
    absent(world)
    target = next_sitting(world)
    application = services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="absence",
        reason="family",
        text="Отбасылық жағдай",
    )
    services.absence_decide(
        application=application, actor=world.user("chair"), approve=True, reason="Құжат бар"
    )
    original = pdf_text(protocol_pdf(world.sitting, "kk"))
    assert "Абаев Әлихан" in original and target.title.split(":")[0] in original
    arrived = pdf_text(protocol_pdf(target, "kk"))
    assert "Абаев Әлихан" in arrived
    # The editable protocol says the same.
    docx = docx_text(protocol_docx(world.sitting, "ru"))
    with translation.override("ru"):
        notes = sitting_application_notes(world.sitting)
    assert notes and all(note in docx for note in notes)
