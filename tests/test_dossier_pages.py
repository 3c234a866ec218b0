"""The dossier's pages (SPEC K-8, K-9): the department's list, the form, the student's thesis
page, the console's admit button, the live defence in K-9 order; the defence protocol carries
the reviewer's grade and the originality check (K-5); the XLSX import."""

import pytest
from django.utils import translation

from attestation.commissions.models import Examinee
from attestation.defense.models import Dossier
from attestation.grading import services as grading
from attestation.imports.models import ImportJob
from attestation.records.models import Protocol
from attestation.records.services import protocol_render, protocols_ensure
from tests.dossier_world import (
    defence,
    dossier_complete,
    foreign_programme_examinee,
    identified,
    pdf_bytes,
    pdf_upload,
)
from tests.factories import UserFactory
from tests.import_files import Importer, xlsx
from tests.test_records_documents import flat, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_department_sees_its_programmes_defences_with_what_is_missing(world, client_for):
    defence(world)
    dossier_complete(world.other_examinee)
    foreign = foreign_programme_examinee(world)
    page = client_for(world.user("department")).get("/ru/defense/department/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="dossier-{world.examinee.pk}" data-complete="no"' in html
    assert f'id="dossier-{world.other_examinee.pk}" data-complete="yes"' in html
    assert f"dossier-{foreign.pk}" not in html
    assert "рецензия (PDF)" in html and "Документы к защите" in html
    assert client_for(world.user("secretary")).get("/ru/defense/department/").status_code == 404


def test_the_department_enters_the_dossier_on_its_page(world, client_for):
    defence(world)
    client = client_for(world.user("department"))
    page = f"/kk/defense/examinees/{world.examinee.pk}/dossier/"
    assert "data-dossier-form" in client.get(page).content.decode()
    answer = client.post(
        page,
        {
            "title_kk": "Бұлттағы деректер",
            "reviewer_grade": "77",
            "originality_system": "strikeplagiarism",
            "similarity_1": "61",
            "similarity_2": "2",
            "review": pdf_upload(pdf_bytes(1), "review.pdf"),
        },
        follow=True,
    )
    html = answer.content.decode()
    assert "Құжаттар сақталды." in html
    assert "77 — B-" in html and "шектен жоғары" in html  # above the 50% threshold
    assert 'data-missing="department_decision"' in html
    dossier = Dossier.objects.get()
    assert dossier.reviewer_grade == 77 and dossier.review
    bad = client.post(page, {"reviewer_grade": "101"}, follow=True).content.decode()
    assert "Рецензенттің бағасы — 0-ден 100-ге дейінгі бүтін сан." in bad
    assert Dossier.objects.get().reviewer_grade == 77
    # The member reads it, without the form; a POST from them changes nothing.
    member = client_for(world.user("member"))
    assert "data-dossier-form" not in member.get(page).content.decode()
    assert member.post(page, {"reviewer_grade": "10"}).status_code == 404
    assert Dossier.objects.get().reviewer_grade == 77


def test_the_student_sees_what_the_defence_still_waits_for(world, client_for):
    defence(world)
    client = client_for(world.user("student"))
    page = client.get(f"/ru/defense/examinees/{world.examinee.pk}/thesis/").content.decode()
    assert "data-dossier-missing" in page and "рецензия (PDF)" in page
    dossier_complete(world.examinee)
    page = client.get(f"/ru/defense/examinees/{world.examinee.pk}/thesis/").content.decode()
    assert "data-dossier-complete" in page and "Документы к защите полны" in page


def test_the_console_refuses_admission_naming_the_missing_documents(world, client_for):
    defence(world)
    identified(world, world.examinee)
    client = client_for(world.user("secretary"))
    console = client.get(f"/en/staff/sittings/{world.sitting.pk}/").content.decode()
    assert 'data-dossier-state="incomplete"' in console
    answer = client.post(f"/en/staff/examinees/{world.examinee.pk}/admit/", HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert "The defence dossier is incomplete" in html and "the review (PDF)" in html
    world.examinee.refresh_from_db()
    assert world.examinee.status == Examinee.Status.IDENTIFIED
    dossier_complete(world.examinee)
    client.post(f"/en/staff/examinees/{world.examinee.pk}/admit/", HTTP_HX_REQUEST="true")
    world.examinee.refresh_from_db()
    assert world.examinee.status == Examinee.Status.ADMITTED


def test_the_live_defence_shows_the_dossier_in_the_order_of_k9(world, client_for):
    from tests.test_grading_world import admit

    defence(world)
    admit(world, world.examinee, draw=False)
    client = client_for(world.user("chair"))
    client.post(f"/kk/live/sittings/{world.sitting.pk}/next/", {"expected_current_id": ""})
    html = client.get(f"/kk/live/sittings/{world.sitting.pk}/").content.decode()
    steps = ["talk", "questions", "feedback", "answers", "discussion", "decision"]
    places = [html.index(f'data-step="{step}"') for step in steps]
    assert places == sorted(places)
    assert "88 — B+" in html and "StrikePlagiarism" in html
    assert "Безопасность информационных систем" in html  # the Russian title too


def test_the_defence_protocol_records_the_reviewers_grade_and_the_originality_check(world):
    defence(world)
    from tests.test_grading_world import admit

    admit(world, world.examinee, draw=False)
    Dossier.objects.filter(examinee=world.examinee).update(reviewer_grade=92)
    grading.score_set(examinee=world.examinee, member=world.user("member"), score=90)
    grading.final_set(examinee=world.examinee, actor=world.user("chair"), score=90)
    protocols_ensure(sitting=world.sitting)
    protocol = Protocol.objects.get(kind="examinee", examinee=world.examinee)
    kk = flat(pdftotext(protocol_render(protocol, "pdf", "kk")))
    for fact in [
        "Рецензенттің бағасы",
        "92 — A- (3,67",
        "Түпнұсқалықты тексеру",
        "StrikePlagiarism",
    ]:
        assert flat(fact) in kk, fact
    assert flat("1-коэффициент 12%, 2-коэффициент 1%") in kk
    ru = flat(pdftotext(protocol_render(protocol, "pdf", "ru")))
    assert flat("Оценка рецензента") in ru and flat("Безопасность информационных систем") in ru
    assert flat("коэффициент 1 12%") in ru
    # The sitting's protocol carries them in the examinee's row too, in the PDF and the DOCX.
    from tests.test_protocol import docx_text, pdf_text

    for kind in ("pdf", "docx"):
        sitting = protocol_render(Protocol.objects.get(kind="sitting"), kind, "kk")
        text = flat(pdf_text(sitting) if kind == "pdf" else docx_text(sitting))
        for fact in ("Рецензенттің бағасы: 92 — A-", "StrikePlagiarism: 1-коэффициент 12%"):
            assert flat(fact) in text, (kind, fact)


DOSSIER_HEADERS = [
    "Sitting code",
    "Student username",
    "Thesis topic in Kazakh",
    "Thesis topic in Russian",
    "Supervisor",
    "Reviewer",
    "Reviewer's grade",
    "Originality check system",
    "Similarity coefficient 1, %",
    "Similarity coefficient 2, %",
    "Department's decision",
]


@pytest.fixture
def importer(client, settings, django_capture_on_commit_callbacks):
    registrar = UserFactory(username="registrar_d", full_name="Тіркеуші", is_registrar=True)
    return Importer(client, registrar, django_capture_on_commit_callbacks)


def test_dossiers_import_from_xlsx_in_kazakh_words(world, importer):
    defence(world)
    code, name = world.sitting.code, world.examinee.student.user.username
    other = world.other_examinee.student.user.username
    rows = [
        DOSSIER_HEADERS,
        [code, name, "Тақырып", "Тема", "Оспанов Д.", "Ким А.", 88.0, "Страйк", 62, 3, "жіберілді"],
        [code, other, "Екінші", "", "", "", "", "Антиплагиат", "", "", ""],
    ]
    job = importer.run("dossiers", "dossiers.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.DONE, importer.problems(job)
    dossier = Dossier.objects.get(examinee=world.examinee)
    assert (dossier.reviewer_grade, dossier.originality_system) == (88, "strikeplagiarism")
    assert dossier.department_decision == "admitted" and dossier.decided_at
    world.examinee.refresh_from_db()
    assert (world.examinee.thesis_topic, world.examinee.supervisor) == ("Тақырып", "Оспанов Д.")
    again = importer.run("dossiers", "dossiers.xlsx", xlsx(rows))
    assert again.status == ImportJob.Status.DONE
    assert Dossier.objects.count() == 2


def test_a_broken_dossiers_file_changes_nothing_and_points_at_each_row(world, importer):
    defence(world)
    code, name = world.sitting.code, world.examinee.student.user.username
    rows = [
        DOSSIER_HEADERS,
        [code, name, "Т", "", "", "", 101, "turnitin", -1, "1e309", "мүмкін"],
        ["no-such-sitting", name, "", "", "", "", "", "", "", "", ""],
        [code, "nobody_here", "", "", "", "", "", "", "", "", ""],
    ]
    with translation.override("en"):
        job = importer.run("dossiers", "dossiers.xlsx", xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    problems = {(row, column) for row, column, _message in importer.problems(job)}
    assert {
        (2, "Reviewer's grade"),
        (2, "Originality check system"),
        (2, "Similarity coefficient 1, %"),
        (2, "Similarity coefficient 2, %"),
        (2, "Department's decision"),
        (3, "Sitting code"),
        (4, "Student username"),
    } <= problems
    assert not Dossier.objects.exists()
    world.examinee.refresh_from_db()
    assert world.examinee.thesis_topic == ""
