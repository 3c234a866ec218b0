"""The defence dossier's services (SPEC K-8): what completes it, the university's thresholds
that need the department's decision, bad input refused with nothing stored, the audit, and
admission to a defence refused on an incomplete dossier."""

from decimal import Decimal

import pytest
from django.utils import translation

from attestation.audit.models import AuditEntry
from attestation.commissions import services as commission_services
from attestation.commissions.models import Examinee
from attestation.core.errors import DomainError
from attestation.defense.dossier import dossier_state, dossier_update
from attestation.defense.models import Dossier, Thesis
from tests.dossier_world import defence, dossier_complete, identified, pdf_bytes, pdf_upload
from tests.live_helpers import make_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def files():
    return {
        "supervisor_feedback": pdf_upload(pdf_bytes(1), "feedback.pdf"),
        "review": pdf_upload(pdf_bytes(2), "review.pdf"),
        "originality_report": pdf_upload(pdf_bytes(3), "report.pdf"),
    }


FULL = {
    "title_kk": "Қазақ тіліндегі мәтіндерді жіктеу",
    "title_ru": "Классификация текстов на казахском языке",
    "title_en": "Classifying texts in Kazakh",
    "supervisor": "Оспанов Д.",
    "reviewer": "Ким А.",
    "reviewer_organisation": "ҚазҰТЗУ",
    "reviewer_grade": "88",
    "originality_system": "strikeplagiarism",
    "similarity_1": "12,5",
    "similarity_2": "1.2",
}


def enter_everything(world, examinee, actor="secretary", **raw):
    from attestation.defense.services import thesis_upload

    make_thesis = not Thesis.objects.filter(examinee=examinee).exists()
    if make_thesis:
        thesis_upload(
            examinee=examinee,
            file=pdf_upload(),
            actor=world.user("secretary"),
            late_reason="The student sent it by mail",
        )
    return dossier_update(examinee=examinee, actor=world.user(actor), raw=FULL | raw, files=files())


def test_an_empty_dossier_lists_everything_missing_in_words(world):
    defence(world)
    state = dossier_state(world.examinee)
    assert not state.complete
    assert state.missing == [
        "thesis",
        "title_kk",
        "title_ru",
        "supervisor",
        "supervisor_feedback",
        "reviewer",
        "review",
        "reviewer_grade",
        "originality_system",
        "similarity",
        "originality_report",
    ]
    with translation.override("kk"):
        assert "рецензия (PDF)" in dossier_state(world.examinee).missing_labels
    with translation.override("ru"):
        assert "отзыв научного руководителя (PDF)" in dossier_state(world.examinee).missing_labels


def test_the_secretary_completes_the_dossier_and_each_change_is_audited(world):
    defence(world)
    dossier = enter_everything(world, world.examinee)
    world.examinee.refresh_from_db()
    assert world.examinee.thesis_topic == FULL["title_kk"]
    assert (dossier.reviewer_grade, dossier.similarity_1) == (88, Decimal("12.50"))
    assert dossier_state(world.examinee).complete
    row = AuditEntry.objects.filter(action="dossier.update").latest("id")
    assert row.actor_id == world.user("secretary").pk and row.to_state == "complete"
    assert row.data["changes"]["reviewer_grade"] == "88"
    assert len(row.data["changes"]["review"]["sha256"]) == 64
    # A second change: only what is sent changes; the rest stays.
    dossier_update(examinee=world.examinee, actor=world.user("department"), raw={"title_en": ""})
    dossier.refresh_from_db()
    assert dossier.title_en == "" and dossier.reviewer_grade == 88 and dossier.review
    assert AuditEntry.objects.filter(action="dossier.update").count() == 2


def test_antiplagiat_needs_one_similarity_percent(world):
    defence(world)
    raw = {"originality_system": "antiplagiat", "similarity_1": "", "similarity_2": ""}
    enter_everything(world, world.examinee, **raw)
    assert dossier_state(world.examinee).missing == ["similarity"]
    dossier_update(examinee=world.examinee, actor=world.user("secretary"), raw={"similarity": "18"})
    assert dossier_state(world.examinee).complete


@pytest.mark.parametrize(
    ("raw", "expected_over"),
    [
        ({"similarity_1": "50"}, False),  # at the threshold: fine
        ({"similarity_1": "50.01"}, True),
        ({"similarity_2": "5.5"}, True),
    ],
)
def test_a_result_over_the_university_threshold_needs_the_department(world, raw, expected_over):
    defence(world)
    enter_everything(world, world.examinee, **raw)
    state = dossier_state(world.examinee)
    assert state.over_threshold is expected_over
    assert state.complete is not expected_over
    if expected_over:
        assert state.missing == ["department_decision"]
        dossier_update(
            examinee=world.examinee,
            actor=world.user("department"),
            raw={"department_decision": "admitted"},
        )
        dossier = Dossier.objects.get(examinee=world.examinee)
        assert dossier.decided_by == world.user("department") and dossier.decided_at
        assert dossier_state(world.examinee).complete
        decision = AuditEntry.objects.get(action="dossier.decision")
        assert (decision.from_state, decision.to_state) == ("", "admitted")


def test_the_thresholds_are_the_universitys_settings(world, settings):
    defence(world)
    enter_everything(world, world.examinee, similarity_1="40")
    assert dossier_state(world.examinee).complete
    settings.ORIGINALITY_MAX_SIMILARITY_1 = 35
    assert dossier_state(world.examinee).missing == ["department_decision"]


def test_not_admitted_by_the_department_keeps_the_student_out(world):
    defence(world)
    enter_everything(world, world.examinee, department_decision="not_admitted")
    assert dossier_state(world.examinee).missing == ["department_refused"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"reviewer_grade": "101"}, "The reviewer's grade is a whole number from 0 to 100."),
        ({"reviewer_grade": "-1"}, "The reviewer's grade is a whole number from 0 to 100."),
        ({"reviewer_grade": "８８"}, "The reviewer's grade is a whole number from 0 to 100."),
        ({"similarity": "-1"}, "Similarity, % is a number from 0 to 100, e.g. 12.5."),
        ({"similarity_1": "1e309"}, "Similarity coefficient 1, % is a number from 0 to 100"),
        ({"similarity_2": "NaN"}, "Similarity coefficient 2, % is a number from 0 to 100"),
        ({"similarity": "inf"}, "Similarity, % is a number from 0 to 100"),
        ({"originality_system": "turnitin"}, "Choose the originality check system"),
        ({"department_decision": "maybe"}, "The department's decision is"),
        ({"reviewer": "x" * 201}, "Reviewer: at most 200 characters."),
        ({"title_ru": "a\x00b"}, "characters that are not text"),
    ],
)
def test_bad_input_is_a_translated_422_and_nothing_is_stored(world, raw, message, media):
    defence(world)
    with pytest.raises(DomainError) as refused, translation.override("en"):
        dossier_update(
            examinee=world.examinee,
            actor=world.user("secretary"),
            raw={"title_en": "Kept out", **raw},
            files=files(),
        )
    assert refused.value.status == 422 and message in refused.value.message
    assert not Dossier.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="dossier.").exists()
    assert not list(media.rglob("*.pdf"))  # the files were never written


def test_bad_input_reads_in_kazakh_and_russian(world):
    defence(world)
    for language, words in (("kk", "0-ден 100-ге дейінгі бүтін сан"), ("ru", "целое число")):
        with pytest.raises(DomainError) as refused, translation.override(language):
            dossier_update(
                examinee=world.examinee,
                actor=world.user("secretary"),
                raw={"reviewer_grade": "101"},
            )
        assert words in refused.value.message


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_changes(world, media):
    defence(world)
    enter_everything(world, world.examinee)
    before = Dossier.objects.get().review.name
    with pytest.raises(DomainError) as refused:
        dossier_update(
            examinee=world.examinee,
            actor=world.user("department"),
            raw={"reviewer_grade": "40"},
            files={"review": pdf_upload(b"GIF89a not a pdf", "review.pdf")},
        )
    assert refused.value.code == "not_pdf" and refused.value.status == 422
    dossier = Dossier.objects.get()
    assert dossier.review.name == before and dossier.reviewer_grade == 88


def test_a_pdf_with_javascript_is_accepted_and_flagged(world):
    defence(world)
    active = pdf_bytes(1).replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    enter_everything(world, world.examinee)
    dossier_update(
        examinee=world.examinee,
        actor=world.user("secretary"),
        raw={},
        files={"originality_report": pdf_upload(active, "report.pdf")},
    )
    assert Dossier.objects.get().active_content == ["originality_report"]


def test_replacing_a_file_removes_the_old_one_after_the_commit(
    world, media, django_capture_on_commit_callbacks
):
    defence(world)
    with django_capture_on_commit_callbacks(execute=True):
        enter_everything(world, world.examinee)
    old = Dossier.objects.get().review.path
    with django_capture_on_commit_callbacks(execute=True):
        dossier_update(
            examinee=world.examinee,
            actor=world.user("secretary"),
            raw={},
            files={"review": pdf_upload(pdf_bytes(4), "review.pdf")},
        )
    new = Dossier.objects.get().review.path
    assert new != old
    import os

    assert os.path.exists(new) and not os.path.exists(old)


@pytest.mark.parametrize("persona", ["member", "chair", "student"])
def test_only_the_secretary_and_the_department_enter_it(world, persona):
    defence(world)
    with pytest.raises(DomainError) as refused:
        dossier_update(examinee=world.examinee, actor=world.user(persona), raw={"reviewer": "X"})
    assert refused.value.status == 403
    assert not Dossier.objects.exists()


def test_admission_to_a_defence_waits_for_a_complete_dossier(world):
    defence(world)
    identified(world, world.examinee)
    with pytest.raises(DomainError) as refused, translation.override("en"):
        commission_services.examinee_admit(examinee=world.examinee, actor=world.user("secretary"))
    assert refused.value.code == "dossier_incomplete" and refused.value.status == 409
    assert "the review (PDF)" in refused.value.message
    assert "review" in refused.value.extra["missing"]
    world.examinee.refresh_from_db()
    assert world.examinee.status == Examinee.Status.IDENTIFIED
    dossier_complete(world.examinee)
    admitted = commission_services.examinee_admit(
        examinee=world.examinee, actor=world.user("secretary")
    )
    assert admitted.status == Examinee.Status.ADMITTED


def test_admission_above_the_threshold_waits_for_the_department(world):
    defence(world)
    identified(world, world.examinee)
    dossier_complete(world.examinee, similarity_1=Decimal("63"))
    with pytest.raises(DomainError) as refused:
        commission_services.examinee_admit(examinee=world.examinee, actor=world.user("secretary"))
    assert refused.value.extra["missing"] == ["department_decision"]


@pytest.mark.parametrize("form", ["written_exam", "oral_exam"])
def test_exams_admit_without_a_dossier(world, form):
    make_form(world, form)
    identified(world, world.examinee)
    admitted = commission_services.examinee_admit(
        examinee=world.examinee, actor=world.user("secretary")
    )
    assert admitted.status == Examinee.Status.ADMITTED and not Dossier.objects.exists()


def test_a_dossier_belongs_to_a_defence_only(world):
    with pytest.raises(DomainError) as refused:
        dossier_update(examinee=world.examinee, actor=world.user("secretary"), raw={})
    assert refused.value.code == "not_a_defense"


def test_after_the_announcement_the_dossier_is_closed(world):
    from django.utils import timezone

    from attestation.commissions.models import Sitting

    defence(world)
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=timezone.now())
    world.examinee.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        dossier_update(
            examinee=world.examinee, actor=world.user("secretary"), raw={"reviewer": "X"}
        )
    assert refused.value.code == "announced"
