"""The sitting's protocol as PDF and DOCX (R-16.1, R-26.1): Kazakh names, questions, every
member's score, the final grade, incidents and signatures; for the commission and registrar."""

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from pypdf import PdfReader

from attestation.commissions.models import Sitting
from attestation.defense.models import WrittenQuestion
from attestation.grading import services
from attestation.proctoring.models import Incident, IncidentDecision
from tests.test_grading_world import admit, make_oral, second_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(world, settings):
    """An oral exam: two examinees drawn and graded by two members and the chair; one
    incident with a decision; the results announced."""
    settings.UNIVERSITY_NAME = "Әл-Фараби атындағы ҚазҰУ"
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    member2 = second_member(world)
    chair, member = world.user("chair"), world.user("member")
    services.score_set(
        examinee=world.examinee,
        member=member,
        score=86,
        additional_questions="Қалыпты формалар деген не?",
    )
    services.score_set(examinee=world.examinee, member=member2, score=90)
    services.score_set(examinee=world.examinee, member=chair, score=88)
    services.score_set(examinee=world.other_examinee, member=member, score=41)
    services.final_set(examinee=world.examinee, actor=chair, score=88)
    services.final_set(examinee=world.other_examinee, actor=chair, score=45)
    incident = Incident.objects.create(
        examinee=world.other_examinee,
        category=Incident.Category.OTHER_PERSON,
        note="Бөлмеде бөгде адам көрінді",
        recorded_by=world.user("secretary"),
    )
    IncidentDecision.objects.create(
        incident=incident,
        decision=IncidentDecision.Decision.WARNING,
        reason="Ескерту жасалды",
        decided_by=chair,
    )
    services.sitting_announce(sitting=world.sitting, actor=chair)
    world.member2 = member2
    return world


def flat(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines wherever the layout does."""
    return re.sub(r"\s+", "", text)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def expected_facts(world) -> list[str]:
    questions = [q.text for q in world.examinee.draw.ticket.questions.all()]
    return [
        "Әл-Фараби атындағы ҚазҰУ",
        world.commission.title,
        world.sitting.title,
        "Абаев Әлихан",
        "Үмбетова Ұлжан",
        "ИС-22-1",
        *questions,
        "Қалыпты формалар деген не?",
        "Жақсылықова Гүлжан: 86",
        "Нұрланова Қарлығаш: 90",
        "Сейітқали Бекнұр: 88",
        "88 — B+",
        "45 — FX",
        "Бөлмеде бөгде адам көрінді",
        "Ескерту жасалды",
        "Тұрсынова Әйгерім",  # the secretary signs
    ]


def test_pdf_protocol_holds_names_questions_scores_and_grades(graded, client_for):
    response = client_for(graded.user("chair")).get(
        f"/api/v1/sittings/{graded.sitting.pk}/protocol.pdf"
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdf_text(response.content))
    for fact in expected_facts(graded):
        assert flat(fact) in text, fact
    with translation.override("kk"):
        assert flat(gettext("Protocol of the sitting of the State Attestation Commission")) in text
        assert flat(str(gettext("Technical secretary"))) in text


def test_docx_protocol_holds_the_same(graded, client_for):
    response = client_for(graded.user("registrar")).get(
        f"/api/v1/sittings/{graded.sitting.pk}/protocol.docx"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    text = docx_text(response.content)
    for fact in expected_facts(graded):
        assert fact in text, fact
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_russian_protocol(graded, client_for, kind):
    response = client_for(graded.user("secretary")).get(
        f"/api/v1/sittings/{graded.sitting.pk}/protocol.{kind}?lang=ru"
    )
    assert response.status_code == 200
    text = pdf_text(response.content) if kind == "pdf" else docx_text(response.content)
    with translation.override("ru"):
        title = gettext("Protocol of the sitting of the State Attestation Commission")
    assert flat(title) in flat(text)
    assert flat("Абаев Әлихан") in flat(text)


def test_defence_protocol_shows_the_thesis_topic_and_written_questions(world, client_for):
    Sitting.objects.filter(pk=world.sitting.pk).update(form=Sitting.Form.DEFENSE)
    world.examinee.refresh_from_db()
    world.examinee.thesis_topic = "Ұлттық тілдегі мәтіндерді өңдеу жүйесі"
    world.examinee.save()
    admit(world, world.examinee, draw=False)
    WrittenQuestion.objects.create(
        examinee=world.examinee,
        asked_for="Жақсылықова Гүлжан",
        posted_by=world.user("secretary"),
        text="Жүйенің өнімділігі қалай өлшенді?",
    )
    services.score_set(examinee=world.examinee, member=world.user("member"), score=93)
    services.final_set(examinee=world.examinee, actor=world.user("chair"), score=93)
    client = client_for(world.user("member"))
    for kind in ("pdf", "docx"):
        response = client.get(f"/api/v1/sittings/{world.sitting.pk}/protocol.{kind}")
        assert response.status_code == 200
        text = pdf_text(response.content) if kind == "pdf" else docx_text(response.content)
        for fact in (
            "Ұлттық тілдегі мәтіндерді өңдеу жүйесі",
            "Жүйенің өнімділігі қалай өлшенді?",
            "93 — A-",
        ):
            assert flat(fact) in flat(text), (kind, fact)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("student", 404),
        ("other_student", 404),
        ("outsider", 404),
        ("anonymous", 401),
        ("secretary", 200),
        ("member", 200),
        ("chair", 200),
        ("registrar", 200),
    ],
)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_who_may_fetch_the_protocol(world, client, api_for, persona, status, kind):
    response = client.get(
        f"/api/v1/sittings/{world.sitting.pk}/protocol.{kind}", **api_for(persona)
    )
    assert response.status_code == status


def test_unknown_language_is_422(world, client_for):
    response = client_for(world.user("chair")).get(
        f"/api/v1/sittings/{world.sitting.pk}/protocol.pdf?lang=de"
    )
    assert response.status_code == 422


def pdftotext(content: bytes) -> str:
    """The PDF's text as poppler reads it (what a person copying from the document gets)."""
    import subprocess

    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return done.stdout.decode()


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_member_who_has_not_scored_gets_no_score_and_no_final_in_the_protocol(
    world, client_for, kind
):
    """Blind scoring holds in the documents (CONTRACT.md): before the member's own score the
    protocol shows them neither the others' scores nor the final; after it, both."""
    make_oral(world)
    admit(world, world.examinee)
    member2 = second_member(world)
    chair, member = world.user("chair"), world.user("member")
    services.score_set(examinee=world.examinee, member=member2, score=91)
    services.score_set(examinee=world.examinee, member=chair, score=87)
    services.final_set(examinee=world.examinee, actor=chair, score=89)
    url = f"/api/v1/sittings/{world.sitting.pk}/protocol.{kind}"

    def text() -> str:
        response = client_for(member).get(url)
        assert response.status_code == 200
        return flat(pdftotext(response.content) if kind == "pdf" else docx_text(response.content))

    before = text()
    assert flat("Абаев Әлихан") in before
    for leak in ("Нұрланова Қарлығаш: 91", "Сейітқали Бекнұр: 87", "89 — B+", "91", "87"):
        assert flat(leak) not in before, leak
    services.score_set(examinee=world.examinee, member=member, score=85)
    after = text()
    for fact in ("Нұрланова Қарлығаш: 91", "Сейітқали Бекнұр: 87", "Жақсылықова Гүлжан: 85"):
        assert flat(fact) in after, fact
    assert flat("89 — B+") in after
    # The chair, who has every score, was never blind.
    chair_text = client_for(chair).get(url).content
    assert chair_text
