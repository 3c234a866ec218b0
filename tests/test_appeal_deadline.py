"""K-13: an appeal is filed by the end of the next working day after the announcement —
weekends and Kazakhstan's public holidays (settings.PUBLIC_HOLIDAYS) are skipped; the appeal
commission may raise, lower or keep the grade."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from attestation.applications import services
from attestation.applications.deadlines import appeal_deadline, is_working_day
from attestation.applications.models import Application
from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from tests.applications_world import announced, appeal_commission

ALMATY = ZoneInfo("Asia/Almaty")


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ALMATY)


@pytest.mark.parametrize(
    "announced_at,closes",
    [
        # Tuesday → Wednesday.
        ("2026-06-09 17:00", "2026-06-11 00:00"),
        # A weekend: Friday → Monday.
        ("2026-06-12 17:00", "2026-06-16 00:00"),
        # Announced on a Saturday: Monday.
        ("2026-06-13 11:00", "2026-06-16 00:00"),
        # A holiday: Wednesday 6 May → Thursday 7 May (Defender's Day) → Friday 8 May.
        ("2026-05-06 16:00", "2026-05-09 00:00"),
        # A holiday followed by a weekend: Thursday 30 April → 1 May (Friday, Unity Day),
        # Saturday, Sunday → Monday 4 May.
        ("2026-04-30 18:30", "2026-05-05 00:00"),
        # Nauryz on a weekend, its days carried over: Friday 20 March → 21–25 March off →
        # Thursday 26 March.
        ("2026-03-20 12:00", "2026-03-27 00:00"),
        # Kurban ait 2026 (Wednesday 27 May).
        ("2026-05-26 15:00", "2026-05-29 00:00"),
        # Independence Day 2026 (Wednesday 16 December).
        ("2026-12-15 15:00", "2026-12-18 00:00"),
        # New Year 2027: Thursday 31 December → 1 (Fri), 2 (Sat, carried to Mon 4 January),
        # Sunday → Tuesday 5 January.
        ("2026-12-31 14:00", "2027-01-06 00:00"),
    ],
)
def test_appeal_deadline_skips_weekends_and_public_holidays(announced_at, closes):
    sitting = Sitting(starts_at=at(announced_at), announced_at=at(announced_at))
    assert appeal_deadline(sitting) == at(closes)


def test_the_holiday_list_is_a_setting(settings):
    """A university adds the Government's moved day off (or a weekend worked instead)."""
    sitting = Sitting(starts_at=at("2026-06-09 17:00"), announced_at=at("2026-06-09 17:00"))
    settings.PUBLIC_HOLIDAYS = frozenset({date(2026, 6, 10)})
    assert appeal_deadline(sitting) == at("2026-06-12 00:00")
    settings.PUBLIC_HOLIDAYS = frozenset()
    settings.WORKING_WEEKEND_DAYS = frozenset({date(2026, 6, 13)})
    friday = Sitting(starts_at=at("2026-06-12 17:00"), announced_at=at("2026-06-12 17:00"))
    assert appeal_deadline(friday) == at("2026-06-14 00:00")
    assert is_working_day(date(2026, 6, 13))


def test_the_default_list_reads_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    import attestation.settings as module

    monkeypatch.setenv("PUBLIC_HOLIDAYS", "2028-01-01, 2028-01-02")
    assert module.env_dates("PUBLIC_HOLIDAYS", "") == {date(2028, 1, 1), date(2028, 1, 2)}
    monkeypatch.setenv("PUBLIC_HOLIDAYS", "2028-13-01")
    with pytest.raises(ImproperlyConfigured):
        module.env_dates("PUBLIC_HOLIDAYS", "")
    monkeypatch.delenv("PUBLIC_HOLIDAYS")
    defaults = module.env_dates("PUBLIC_HOLIDAYS", module.PUBLIC_HOLIDAYS_DEFAULT)
    assert defaults == module.PUBLIC_HOLIDAYS
    expected = ["2026-01-01", "2026-01-07", "2026-03-23", "2026-05-27", "2027-05-16"]
    assert {date.fromisoformat(d) for d in expected} <= defaults
    assert {"2026-12-16", "2027-12-16"} <= {d.isoformat() for d in defaults}


# --- Filing against the deadline, with time frozen --------------------------------------------


def _announce_at(world, moment: datetime):
    Sitting.objects.filter(pk=world.sitting.pk).update(announced_at=moment)
    world.sitting.refresh_from_db()


def _file(world):
    return services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="appeal",
        reason="grade",
        text="Бағамен келіспеймін.",
    )


@pytest.mark.django_db
def test_an_appeal_on_the_monday_after_a_holiday_and_a_weekend_is_accepted(world):
    announced(world)
    _announce_at(world, at("2026-04-30 18:30"))
    with time_machine.travel(at("2026-05-04 23:59"), tick=False):
        assert _file(world).status == Application.Status.SUBMITTED


@pytest.mark.django_db
def test_an_appeal_the_day_after_the_next_working_day_is_refused(world):
    announced(world)
    _announce_at(world, at("2026-05-06 16:00"))
    with time_machine.travel(at("2026-05-09 00:00"), tick=False):
        with pytest.raises(DomainError) as refused:
            _file(world)
    assert (refused.value.code, refused.value.status) == ("deadline_passed", 409)
    assert not Application.objects.exists()
    with time_machine.travel(at("2026-05-08 23:59"), tick=False):
        assert _file(world).status == Application.Status.SUBMITTED


# --- The grade may go up, down or stay -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "approve,new_score,final",
    [(True, 78, 78), (True, 41, 41), (False, None, 62)],
    ids=["up", "down", "stays"],
)
def test_the_appeal_commission_raises_lowers_or_keeps_the_grade(world, approve, new_score, final):
    announced(world, score=62)
    commission = appeal_commission(world)
    application = _file(world)
    decided = services.appeal_decide(
        application=application,
        actor=commission.memberships.get(role="chair").user,
        approve=approve,
        reason="Жауап қайта қаралды",
        new_score=new_score,
    )
    assert (decided.old_score, decided.new_score) == (62, final)
    assert Examinee.objects.get(pk=world.examinee.pk).final_score == final


@pytest.mark.django_db
def test_changing_to_the_same_score_is_refused_and_nothing_changes(world):
    announced(world, score=62)
    commission = appeal_commission(world)
    application = _file(world)
    with pytest.raises(DomainError) as refused:
        services.appeal_decide(
            application=application,
            actor=commission.memberships.get(role="chair").user,
            approve=True,
            reason="x",
            new_score=62,
        )
    assert refused.value.code == "same_score"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
