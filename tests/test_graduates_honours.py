"""K-10 and K-11 rule by rule, on plain data (graduates/honours.py): no database."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from attestation.graduates.honours import (
    ABSENT,
    FAILED,
    PASSED,
    PENDING,
    POSTPONED,
    Attempt,
    Record,
    honours_check,
    outcome_of,
)

DAY = datetime(2026, 6, 10, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
_ids = iter(range(1, 10_000))


def attempt(score=None, *, form="written_exam", kind="state", days=0, status="done", **extra):
    examinee_id = next(_ids)
    return Attempt(
        examinee_id=examinee_id,
        sitting_id=examinee_id,
        commission_id=1,
        year=2026,
        form=form,
        exam_kind="" if form == "defense" else kind,
        title="Ақпараттық жүйелер" if form != "defense" else "Қорғау",
        starts_at=DAY + timedelta(days=days),
        status=status,
        score=score,
        announced=True,
        **extra,
    )


def record(*attempts, gpa="3.80", earlier=()):
    return Record(
        student_id=1,
        full_name="Абаев Әлихан",
        gpa=Decimal(gpa) if gpa is not None else None,
        attempts=tuple(attempts),
        earlier=tuple(earlier),
    )


def check(rec, **kwargs):
    with translation.override("en"):
        return honours_check(rec, **kwargs)


def codes(rec, **kwargs):
    return [r.code for r in check(rec, **kwargs).reasons]


def test_an_excellent_graduate_is_eligible_with_no_reason():
    rec = record(attempt(96), attempt(91, form="defense", days=5))
    result = check(rec)
    assert result.eligible and result.reasons == []
    assert outcome_of(rec) == PASSED


@pytest.mark.parametrize(("score", "eligible"), [(70, True), (69, False)])
def test_the_lowest_grade_is_c_plus_2_33(score, eligible):
    """70 is C+ (2.33): still honours; 69 is C (2.0): not, and the reason says so."""
    rec = record(attempt(95), attempt(score, kind="complex", form="oral_exam", days=1))
    result = check(rec)
    assert result.eligible is eligible
    if not eligible:
        (reason,) = result.reasons
        assert reason.code == "below_c_plus"
        assert "C (2.0)" in reason.text and "below C+ (2.33)" in reason.text


@pytest.mark.parametrize(("gpa", "eligible"), [("3.50", True), ("3.49", False)])
def test_gpa_3_5_exactly_is_enough(gpa, eligible):
    result = check(record(attempt(95), gpa=gpa))
    assert result.eligible is eligible
    if not eligible:
        assert result.texts == ["GPA 3.49 < 3.5."]


def test_no_gpa_no_honours():
    result = check(record(attempt(95), gpa=None))
    assert not result.eligible
    assert [r.code for r in result.reasons] == ["no_gpa"]
    assert "No GPA" in result.texts[0]


def test_the_gpa_threshold_is_a_setting(settings):
    settings.HONOURS_MIN_GPA = "3.67"
    assert check(record(attempt(95), gpa="3.6")).texts == ["GPA 3.6 < 3.67."]
    assert check(record(attempt(95), gpa="3.6"), min_gpa=Decimal("3.5")).eligible


@pytest.mark.parametrize(("score", "eligible"), [(90, True), (89, False)])
def test_the_state_exam_needs_a_or_a_minus(score, eligible):
    """A- (90) gives honours, B+ (89) does not: the reason names the best grade."""
    result = check(record(attempt(score)))
    assert result.eligible is eligible
    if not eligible:
        assert [r.code for r in result.reasons] == ["no_top_grade"]
        assert "the best is B+" in result.texts[0]


def test_the_defence_graded_a_is_enough_beside_a_b_plus_exam():
    assert check(record(attempt(88), attempt(95, form="defense", days=3))).eligible


def test_a_resit_after_a_failure_in_an_earlier_year_loses_the_honours():
    failed = Attempt(**{**attempt(30).__dict__, "year": 2025, "commission_id": 9})
    failed = Attempt(**{**failed.__dict__, "starts_at": DAY - timedelta(days=365)})
    rec = record(attempt(96), attempt(95, form="defense", days=2), earlier=[failed])
    result = check(rec)
    assert not result.eligible
    assert [r.code for r in result.reasons] == ["resit"]
    assert "A re-sit" in result.texts[0] and "(FX)" in result.texts[0]
    assert outcome_of(rec) == PASSED  # this year's outcome: passed, without honours


def test_a_second_graded_sitting_of_the_same_exam_is_a_resit():
    rec = record(attempt(80), attempt(95, days=7))
    assert "resit" in codes(rec)


def test_a_sitting_after_a_postponement_is_not_a_resit():
    """Absent for a valid reason (K-12), moved to a later day: that day's grade counts."""
    later = attempt(95, days=2)
    away = attempt(status="moved", moved_to_id=later.examinee_id)
    rec = record(away, later)
    assert check(rec).eligible
    assert outcome_of(rec) == PASSED


def test_an_appeal_is_not_a_resit_its_grade_is_read():
    """The appeal commission's grade is the examinee's final: a lowered one loses honours."""
    rec = record(attempt(65))  # lowered on appeal from 95
    assert codes(rec) == ["below_c_plus", "no_top_grade"]


def test_every_reason_at_once():
    rec = record(attempt(60), attempt(85, form="defense", days=1), gpa="3.1")
    assert codes(rec) == ["below_c_plus", "gpa_low", "no_top_grade"]


@pytest.mark.parametrize(
    ("attempts", "outcome"),
    [
        (lambda: [attempt(95), attempt(30, form="defense", days=1)], FAILED),
        (lambda: [attempt(95), attempt(status="absent", days=1)], ABSENT),
        (lambda: [attempt(status="absent_valid")], POSTPONED),
        (lambda: [attempt(None, status="admitted")], PENDING),
        (lambda: [attempt(24), attempt(status="absent", days=1)], FAILED),
        (lambda: [attempt(50)], PASSED),  # D: satisfactory, passed
        (lambda: [attempt(49)], FAILED),  # FX
        (lambda: [], PENDING),
    ],
)
def test_outcomes(attempts, outcome):
    rec = record(*attempts())
    assert outcome_of(rec) == outcome
    if outcome != PASSED:
        assert not check(rec).eligible


def test_pending_and_absent_results_are_named():
    rec = record(attempt(95), attempt(status="absent_valid", form="defense", days=1))
    result = check(rec)
    assert result.reasons[0].code == "incomplete"
    assert "postponed" in result.texts[0]


def test_reasons_are_translated():
    rec = record(attempt(60), gpa="3.41")
    with translation.override("ru"):
        texts = honours_check(rec).texts
    assert any("GPA 3,41 < 3,5" in t for t in texts)
    assert not any("below" in t or "Neither" in t for t in texts)
