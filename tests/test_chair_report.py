"""The chair's report (K-15): the page for the commission's chair (the registrar reads it),
the chair's remarks saved and audited, and the PDF and DOCX in kk and ru read back for the
numbers by grade, the failures, the honours and the remarks."""

import hashlib
import io
import re
import shutil
from decimal import Decimal

import pytest
from django.utils import translation
from docx import Document

from attestation.audit.models import AuditEntry
from attestation.commissions.models import Examinee, Membership
from attestation.grading.scale import grade_for
from attestation.grading.services import final_set, sitting_announce
from attestation.graduates.honours import OUTCOME_LABELS
from attestation.records.models import ChairReport, ChairReportCopy
from tests.applications_world import absent, announced
from tests.factories import (
    CommissionFactory,
    ExamineeFactory,
    MembershipFactory,
    StudentFactory,
    UserFactory,
)
from tests.test_grading_world import admit, make_oral
from tests.test_records_documents import bbox_words, flat, libreoffice_pdf, pdftotext

pytestmark = pytest.mark.django_db
UNIVERSITY = "Қожа Ахмет Ясауи атындағы Халықаралық қазақ-түрік университеті"
QUALITY = "Түлектердің кәсіби дайындығы жақсы; бағдарламалау бойынша білімі терең."
ADVICE = "Рекомендуется усилить практику по базам данных и защите информации."


def said(language: str, text: str, context: str | None = None) -> str:
    with translation.override(language):
        return translation.pgettext(context, text) if context else translation.gettext(text)


@pytest.fixture
def results(world, settings):
    """An announced state exam (oral): Абаев Әлихан failed with 40 (FX), Үмбетова Ұлжан got
    92 (A-) with a GPA of 3.80 (a diploma with honours), Сәрсенов Ерлан did not appear."""
    settings.UNIVERSITY_NAME = UNIVERSITY
    no_show = ExamineeFactory(
        sitting=world.sitting,
        student=StudentFactory(user=UserFactory(username="noshow", full_name="Сәрсенов Ерлан")),
        position=3,
    )
    absent(world, no_show)
    world.other_examinee.student.gpa = Decimal("3.80")
    world.other_examinee.student.save()
    announced(world, score=40, other_score=92)
    return world


def url(world, tail: str = "/") -> str:
    return f"/kk/records/commissions/{world.commission.pk}/report{tail}"


def save_remarks(client, world, **data):
    data = {"quality": QUALITY, "recommendations": ADVICE} | data
    return client.post(url(world, "/remarks/"), data)


def test_before_any_result_the_page_says_so_and_offers_no_download(world, client_for):
    page = client_for(world.user("chair")).get(url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-report-empty" in html
    assert said("kk", "No results yet") in html
    assert "data-report-downloads" not in html
    # The remarks can be written before the results, for the draft.
    assert 'name="quality"' in html


def test_the_page_shows_grades_failures_honours_and_is_linked_from_the_protocols(
    results, client_for
):
    chair = client_for(results.user("chair"))
    protocols = chair.get(f"/kk/records/sittings/{results.sitting.pk}/").content.decode()
    assert url(results) in protocols
    graduates = chair.get(f"/kk/graduates/commissions/{results.commission.pk}/").content.decode()
    assert url(results) in graduates
    html = chair.get(url(results)).content.decode()
    assert 'data-letter="A-" data-count="1"' in html
    assert 'data-letter="FX" data-count="1"' in html
    failures = re.findall(r"<li data-failure>(.*?)</li>", html, re.S)
    assert any("Абаев Әлихан" in f and "FX" in f for f in failures), failures
    assert any(
        "Сәрсенов Ерлан" in f and said("kk", "absent without a valid reason") in f for f in failures
    ), failures
    honours = re.findall(r"<li data-honours>(.*?)</li>", html, re.S)
    assert len(honours) == 1 and "Үмбетова Ұлжан" in honours[0]
    for language in ("kk", "ru"):
        for fmt in ("pdf", "docx"):
            assert f"report.{fmt}?lang={language}" in html


def test_the_chair_saves_the_remarks_once_audited(results, client_for):
    chair = client_for(results.user("chair"))
    response = save_remarks(chair, results)
    assert response.status_code == 302
    report = ChairReport.objects.get(commission=results.commission)
    assert (report.quality, report.recommendations) == (QUALITY, ADVICE)
    assert report.updated_by == results.user("chair")
    entry = AuditEntry.objects.get(action="report.remarks")
    assert entry.actor == results.user("chair")
    assert entry.data["after"] == {"quality": QUALITY, "recommendations": ADVICE}
    # The same text again is no change and no second audit row.
    save_remarks(chair, results)
    assert AuditEntry.objects.filter(action="report.remarks").count() == 1
    page = chair.get(url(results)).content.decode()
    assert QUALITY in page and ADVICE in page


def test_a_remark_over_the_limit_is_refused_and_nothing_is_stored(results, client_for):
    chair = client_for(results.user("chair"))
    response = save_remarks(chair, results, quality="ә" * (ChairReport.MAX_LENGTH + 1))
    assert response.status_code == 302
    page = chair.get(response["Location"]).content.decode()
    message = said("kk", "A remark is at most %(limit)s characters.") % {
        "limit": ChairReport.MAX_LENGTH
    }
    assert message in page
    assert not ChairReport.objects.exists()
    assert not AuditEntry.objects.filter(action="report.remarks").exists()
    nul = save_remarks(chair, results, recommendations="бір\x00екі")
    assert nul.status_code == 400
    assert not ChairReport.objects.exists()


def test_the_registrar_reads_but_does_not_write_and_others_get_404(results, client_for):
    registrar = client_for(results.user("registrar"))
    page = registrar.get(url(results))
    assert page.status_code == 200
    assert 'name="quality"' not in page.content.decode()
    assert save_remarks(registrar, results).status_code == 404
    assert registrar.get(url(results, ".pdf?lang=ru")).status_code == 200
    for persona in ("member", "deputy", "secretary", "student", "outsider"):
        client = client_for(results.user(persona))
        assert client.get(url(results)).status_code == 404, persona
        assert save_remarks(client, results).status_code == 404, persona
    # The chair of another commission does not reach this one.
    other = CommissionFactory(code="other-report")
    MembershipFactory(commission=other, user=results.user("outsider"), role=Membership.Role.CHAIR)
    assert client_for(results.user("outsider")).get(url(results)).status_code == 404
    assert not ChairReport.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_pdf_reads_back_grades_failures_honours_and_remarks(results, client_for, language):
    chair = client_for(results.user("chair"))
    save_remarks(chair, results)
    response = chair.get(url(results, f".pdf?lang={language}"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = flat(pdftotext(response.content))
    with translation.override(language):
        title = translation.gettext("Report of the chair of the State Attestation Commission")
        a_minus, fx = grade_for(92), grade_for(40)
        rows = [
            f"A-3,67{a_minus.word}150,0%",  # letter, points, word, number, share of the graded
            f"FX0,5{fx.word}150,0%",
            f"A4,0{a_minus.word}00,0%",
        ]
        absent_label = str(OUTCOME_LABELS["absent"])
    for fact in [UNIVERSITY, title, *rows, "Абаев Әлихан", "Сәрсенов Ерлан", absent_label]:
        assert flat(fact) in text, (language, fact)
    assert flat("Үмбетова Ұлжан") in text and flat("3,80") in text
    assert flat(QUALITY) in text and flat(ADVICE) in text
    assert "Сейітқали" in text  # the chair signs


def docx_table(document, header: str):
    for table in document.tables:
        if table.rows[0].cells[0].text == header:
            return [[c.text for c in row.cells] for row in table.rows]
    raise AssertionError(f"no table headed {header!r}")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_docx_reads_back_grades_failures_honours_and_remarks(results, client_for, language):
    chair = client_for(results.user("chair"))
    save_remarks(chair, results)
    response = chair.get(url(results, f".docx?lang={language}"))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    letter = said(language, "Letter")
    grades = {row[0]: row for row in docx_table(document, letter)[1:]}
    assert grades["A-"][3] == "1" and grades["FX"][3] == "1" and grades["A"][3] == "0"
    assert grades["FX"][2] == said(language, "unsatisfactory", "grade")
    # The numbered lists, in order: honours, failures, postponements.
    tables = [
        [[c.text for c in row.cells] for row in t.rows]
        for t in document.tables
        if t.rows[0].cells[0].text == "№"
    ]
    honours, failures = tables[0], tables[1]
    assert honours[1][1] == "Үмбетова Ұлжан" and honours[1][3] == "3,80"
    names = {row[1]: row[4] for row in failures[1:]}
    assert names["Абаев Әлихан"].startswith("40 — FX")
    with translation.override(language):
        assert names["Сәрсенов Ерлан"] == str(OUTCOME_LABELS["absent"])
    paragraphs = [p.text for p in document.paragraphs]
    assert QUALITY in paragraphs and ADVICE in paragraphs
    assert len(document.inline_shapes) == 1  # the chart
    section = document.sections[0]
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    assert document.core_properties.author == UNIVERSITY


def test_the_english_report_is_made_too(results, client_for):
    response = client_for(results.user("chair")).get(url(results, ".pdf?lang=en"))
    assert flat("Report of the chair of the State Attestation Commission") in flat(
        pdftotext(response.content)
    )


def test_a_postponed_student_is_not_a_failure(world, settings, client_for):
    settings.UNIVERSITY_NAME = UNIVERSITY
    absent(world, world.other_examinee)
    # Its absence application was approved (K-12): postponed, not failed.
    Examinee.objects.filter(pk=world.other_examinee.pk).update(status=Examinee.Status.ABSENT_VALID)
    make_oral(world)
    admit(world, world.examinee, draw=False)
    final_set(examinee=world.examinee, actor=world.user("chair"), score=77)
    sitting_announce(sitting=world.sitting, actor=world.user("chair"))
    html = client_for(world.user("chair")).get(url(world)).content.decode()
    assert "data-failure" not in html
    assert said("kk", "No failures.") in html
    postponed = html.split(said("kk", "Postponed for a valid reason"))[1]
    assert "Үмбетова Ұлжан" in postponed.split("</ol>")[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice")
def test_libreoffice_lays_the_report_docx_out_on_a4_with_whole_names(results, client_for, tmp_path):
    chair = client_for(results.user("chair"))
    save_remarks(chair, results)
    docx = chair.get(url(results, ".docx?lang=kk")).content
    pdf = libreoffice_pdf(docx, tmp_path)
    layout = pdftotext(pdf, "-layout")
    assert re.search(r"\b1 ?/ ?[23]\b", layout), layout[-300:]
    words = [w for w, _x, _y in bbox_words(pdf)]
    for word in (*UNIVERSITY.split()[:2], "A-", "FX"):
        assert word in words, word
    everything = flat(pdftotext(pdf))
    for fact in ("Абаев Әлихан", "Сәрсенов Ерлан", "Үмбетова Ұлжан", QUALITY):
        assert flat(fact) in everything, fact


def test_the_chair_signs_a_copy_whose_bytes_never_change(results, client_for, settings):
    settings.NCANODE_URL = ""
    chair = client_for(results.user("chair"))
    save_remarks(chair, results)
    signed = chair.post(url(results, "/sign/"), {"language": "ru"}, follow=True)
    message = said("kk", "You signed copy № %(number)s of the report.") % {"number": 1}
    assert message in signed.content.decode()
    copy = ChairReportCopy.objects.get()
    assert (copy.number, copy.language, copy.signed_by) == (1, "ru", results.user("chair"))
    entry = AuditEntry.objects.get(action="report.sign")
    assert entry.data["sha256"] == copy.sha256 and entry.data["language"] == "ru"
    first = chair.get(f"/kk/records/report-copies/{copy.pk}.pdf").content
    assert hashlib.sha256(first).hexdigest() == copy.sha256
    text = flat(pdftotext(first))
    assert flat("№ 1") in text and flat(ADVICE) in text
    assert flat(said("ru", "Report of the chair of the State Attestation Commission")) in text
    # Signing the unchanged report again keeps copy 1.
    chair.post(url(results, "/sign/"), {"language": "ru"})
    assert ChairReportCopy.objects.count() == 1
    # New remarks: the draft follows them, the signed copy does not; the next copy is № 2.
    save_remarks(chair, results, recommendations="Жаңа ұсыныс.")
    again = chair.get(f"/kk/records/report-copies/{copy.pk}.pdf").content
    assert again == first
    chair.post(url(results, "/sign/"), {"language": "kk"})
    assert list(ChairReportCopy.objects.values_list("number", "language")) == [
        (1, "ru"),
        (2, "kk"),
    ]
    docx = chair.get(f"/kk/records/report-copies/{ChairReportCopy.objects.get(number=2).pk}.docx")
    assert "Жаңа ұсыныс." in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    page = client_for(results.user("registrar")).get(url(results)).content.decode()
    assert 'data-report-copy="2"' in page and "data-report-sign" not in page


def test_nothing_to_sign_before_the_results_and_only_the_chair_signs(world, client_for):
    chair = client_for(world.user("chair"))
    refused = chair.post(url(world, "/sign/"), {"language": "kk"}, follow=True)
    assert said("kk", "The report is signed once a sitting's results are announced.") in (
        refused.content.decode()
    )
    assert client_for(world.user("registrar")).post(url(world, "/sign/")).status_code == 404
    assert not ChairReportCopy.objects.exists()


def test_a_full_field_with_line_breaks_from_a_browser_is_taken(results, client_for):
    """The browser counts a line break as one character for `maxlength` and sends CRLF."""
    lines = "ә" * 99
    text = "\r\n".join([lines] * (ChairReport.MAX_LENGTH // 100))
    assert len(text.replace("\r\n", "\n")) <= ChairReport.MAX_LENGTH < len(text)
    save_remarks(client_for(results.user("chair")), results, quality=text)
    assert ChairReport.objects.get().quality == text.replace("\r\n", "\n")
