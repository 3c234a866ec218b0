"""The protocols as documents (issue 13): each kind read back with poppler's pdftotext finds
the Kazakh names, the questions and the grade words; the DOCX, converted by LibreOffice, keeps
its columns at the intended widths and breaks no name mid-word; A4, language, metadata."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from attestation.applications import services as application_services
from attestation.commissions.models import Sitting
from attestation.grading import services as grading
from attestation.grading.scale import grade_for
from attestation.records.models import Protocol
from attestation.records.services import protocol_render, protocols_ensure
from tests.applications_world import absent, appeal_commission
from tests.test_grading_world import admit, make_oral, second_member

pytestmark = pytest.mark.django_db
UNIVERSITY = "Қожа Ахмет Ясауи атындағы Халықаралық қазақ-түрік университеті"
MM = 72 / 25.4  # PDF points in a millimetre


def pdftotext(content: bytes, *args: str) -> str:
    done = subprocess.run(
        ["pdftotext", *args, "-enc", "UTF-8", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def record(world, settings):
    """An oral exam: both examinees drew, were scored and graded; announced; one appeal
    decided."""
    settings.UNIVERSITY_NAME = UNIVERSITY
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    member2 = second_member(world)
    chair, member = world.user("chair"), world.user("member")
    grading.score_set(
        examinee=world.examinee,
        member=member,
        score=86,
        additional_questions="Қалыпты формалар деген не?",
    )
    grading.score_set(examinee=world.examinee, member=member2, score=90)
    grading.score_set(examinee=world.other_examinee, member=member, score=41)
    grading.final_set(examinee=world.examinee, actor=chair, score=88)
    grading.final_set(examinee=world.other_examinee, actor=chair, score=45)
    grading.sitting_announce(sitting=world.sitting, actor=chair)
    world.sitting.refresh_from_db()
    commission = appeal_commission(world)
    application = application_services.application_file(
        examinee=world.other_examinee,
        actor=world.other_examinee.student.user,
        kind="appeal",
        reason="grade",
        text="Бірінші сұрақтың жауабы ескерілмеді.",
    )
    application_services.appeal_decide(
        application=application,
        actor=commission.memberships.get(role="chair").user,
        approve=True,
        reason="Жауап толық емес, бірақ баға көтерілді.",
        new_score=55,
    )
    protocols_ensure(sitting=world.sitting)
    return world


def the(kind: str, **filters) -> Protocol:
    return Protocol.objects.get(kind=kind, **filters)


def words(kk, value) -> str:
    with translation.override(kk):
        return str(value)


def test_the_examinee_protocol_reads_back_names_questions_and_the_grade(record):
    protocol = the("examinee", examinee=record.examinee)
    text = flat(pdftotext(protocol_render(protocol, "pdf", "kk")))
    questions = [q.text for q in record.examinee.draw.ticket.questions.all()]
    grade = grade_for(88)
    for fact in [
        UNIVERSITY,
        f"№ {protocol.number}",
        "Абаев Әлихан",
        *questions,
        "Қалыпты формалар деген не?",
        "Жақсылықова Гүлжан",  # who asked it, and a member present
        "Нұрланова Қарлығаш",
        "Сейітқали Бекнұр",  # the chair
        "Тұрсынова Әйгерім",  # the secretary
        grade.letter,
        words("kk", grade.word),
    ]:
        assert flat(fact) in text, fact
    # Members' own scores are not the record's: the grade is.
    assert "86" not in text and "90" not in text


def test_the_sitting_degree_and_appeal_protocols_read_back(record, world):
    sitting_text = flat(pdftotext(protocol_render(the("sitting"), "pdf", "kk")))
    for fact in ["Абаев Әлихан", "Үмбетова Ұлжан", UNIVERSITY, words("kk", grade_for(88).word)]:
        assert flat(fact) in sitting_text, fact
    appeal = the("appeal")
    appeal_text = flat(pdftotext(protocol_render(appeal, "pdf", "kk")))
    amended = the("examinee", examinee=record.other_examinee)
    for fact in [
        "Үмбетова Ұлжан",
        f"№ {appeal.number}",
        f"№ {amended.number}",
        "Бірінші сұрақтың жауабы ескерілмеді.",
        words("kk", grade_for(45).word),
        words("kk", grade_for(55).word),
        UNIVERSITY,
    ]:
        assert flat(fact) in appeal_text, fact
    # The examinee protocol keeps the commission's grade; the appeal protocol has the new one.
    amended_text = flat(pdftotext(protocol_render(amended, "pdf", "kk")))
    assert "FX" in amended_text


def test_the_degree_protocol_names_who_is_awarded(world, settings):
    settings.UNIVERSITY_NAME = UNIVERSITY
    Sitting.objects.filter(pk=world.sitting.pk).update(form=Sitting.Form.DEFENSE)
    world.examinee.refresh_from_db()
    world.examinee.thesis_topic = "Ұлттық тілдегі мәтіндерді өңдеу жүйесі"
    world.examinee.save()
    admit(world, world.examinee, draw=False)
    grading.score_set(examinee=world.examinee, member=world.user("member"), score=93)
    grading.final_set(examinee=world.examinee, actor=world.user("chair"), score=93)
    absent(world, world.other_examinee)
    grading.sitting_announce(sitting=world.sitting, actor=world.user("chair"))
    world.sitting.refresh_from_db()
    protocols_ensure(sitting=world.sitting)
    for language in ("kk", "ru"):
        text = flat(pdftotext(protocol_render(the("degree"), "pdf", language)))
        with translation.override(language):
            awarded = str(translation.gettext("Awarded the degree and the diploma"))
            title = str(translation.gettext("Protocol on awarding the degree"))
        for fact in ["Абаев Әлихан", awarded, title, words(language, grade_for(93).word)]:
            assert flat(fact) in text, (language, fact)
    defence = flat(pdftotext(protocol_render(the("examinee"), "pdf", "kk")))
    assert flat("Ұлттық тілдегі мәтіндерді өңдеу жүйесі") in defence


@pytest.mark.parametrize("kind", ["examinee", "sitting", "appeal"])
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_docx_is_a4_in_its_language_with_metadata(record, kind, language):
    protocol = Protocol.objects.filter(kind=kind).order_by("number").first()
    document = Document(io.BytesIO(protocol_render(protocol, "docx", language)))
    section = document.sections[0]
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    tag = {"kk": "kk-KZ", "ru": "ru-RU"}[language]
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == tag
    properties = document.core_properties
    assert properties.author == UNIVERSITY and properties.language == tag
    assert properties.title and properties.created is not None
    footer = "".join(section.footer._element.itertext())
    assert "PAGE" in footer and "NUMPAGES" in footer


def libreoffice_pdf(docx: bytes, tmp_path: Path) -> bytes:
    source = tmp_path / "protocol.docx"
    source.write_bytes(docx)
    profile = tmp_path / "profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / "protocol.pdf").read_bytes()


def bbox_words(pdf: bytes) -> list[tuple[str, float, float]]:
    """(word, xMin in mm, yMin in mm) for every word on the first page, as poppler sees it."""
    html = pdftotext(pdf, "-bbox", "-f", "1", "-l", "1")
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', html
    )
    return [(w, float(x) / MM, float(y) / MM) for x, y, w in found]


pytestmark_lo = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice")


@pytestmark_lo
def test_libreoffice_lays_the_sitting_docx_out_at_the_intended_column_widths(record, tmp_path):
    """The grid's columns match the cells (10, 42, 64 … mm from a 15 mm margin): the name starts
    in the second column and the ticket in the third, and no name is broken mid-word."""
    pdf = libreoffice_pdf(protocol_render(the("sitting"), "docx", "kk"), tmp_path)
    found = bbox_words(pdf)
    text = [w for w, _x, _y in found]
    for name in ("Абаев", "Әлихан", "Үмбетова", "Ұлжан"):
        assert name in text, (name, text[:80])
    x_name = min(x for w, x, _y in found if w == "Абаев")
    assert 15 + 10 <= x_name <= 15 + 10 + 4, x_name
    with translation.override("kk"):
        first = translation.gettext("Ticket № %(n)s").split()[0]  # "%(n)s-билет" in Kazakh
    ticket = re.compile(re.escape(first).replace(re.escape("%(n)s"), r"\d+"))
    x_ticket = min(x for w, x, _y in found if ticket.fullmatch(w))
    assert 15 + 52 <= x_ticket <= 15 + 52 + 4, x_ticket


@pytestmark_lo
def test_libreoffice_lays_the_examinee_docx_out_on_a4_with_whole_words(record, tmp_path):
    protocol = the("examinee", examinee=record.examinee)
    pdf = libreoffice_pdf(protocol_render(protocol, "docx", "kk"), tmp_path)
    layout = pdftotext(pdf, "-layout")
    # The footer's page numbers, as LibreOffice filled the fields in.
    assert re.search(r"\b1 ?/ ?[12]\b", layout), layout[-300:]
    found = bbox_words(pdf)
    text = [w for w, _x, _y in found]
    for word in ("Абаев", "Әлихан", "Жақсылықова", "Гүлжан", *UNIVERSITY.split()[:2]):
        assert word in text, word
    # The value column starts 50 mm after the margin: the labels' column as built.
    x_value = min(x for w, x, _y in found if w == "Абаев")
    assert 15 + 50 <= x_value <= 15 + 50 + 4, x_value


def test_a_tall_row_starts_on_the_first_page_of_the_sitting_protocol(world, settings):
    """An examinee's row may break across pages: kept whole, a tall first row went to page 2
    and left page 1 with the heading alone."""
    settings.UNIVERSITY_NAME = UNIVERSITY
    make_oral(world)
    admit(world, world.examinee)
    questions = "\n".join(f"{n}. Бұл сұрақтың түсіндірмесі қандай болады?" for n in range(1, 45))
    grading.score_set(
        examinee=world.examinee,
        member=world.user("member"),
        score=75,
        additional_questions=questions,
    )
    protocols_ensure(sitting=world.sitting)
    pdf = protocol_render(the("sitting"), "pdf", "kk")
    first = flat(pdftotext(pdf, "-f", "1", "-l", "1"))
    assert flat("Абаев Әлихан") in first
    assert flat("1. Бұл сұрақтың") in first
    assert "44.Бұлсұрақтың" in flat(pdftotext(pdf))
