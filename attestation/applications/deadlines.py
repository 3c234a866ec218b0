"""When an application may still be filed (R-17.1, R-27.1, K-11, K-13) and when an appeal
closes. Working days are Monday to Friday in Asia/Almaty, less `PUBLIC_HOLIDAYS` (public
holidays, their carried-over days off, the Government's moved days off), plus any
`WORKING_WEEKEND_DAYS` (settings.py)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from attestation.commissions.models import Sitting

# K-11: a repeat attestation no earlier than a year after the failed sitting.
REPEAT_AFTER_YEARS = 1


def absence_deadline(sitting: Sitting) -> datetime:
    """An absence application may follow the sitting for a few days (default 3)."""
    days = getattr(settings, "ABSENCE_APPLICATION_DAYS", 3)
    return sitting.starts_at + timedelta(days=days)


def is_working_day(day: date) -> bool:
    if day in getattr(settings, "WORKING_WEEKEND_DAYS", ()):
        return True
    return day.weekday() < 5 and day not in getattr(settings, "PUBLIC_HOLIDAYS", ())


def appeal_deadline(sitting: Sitting) -> datetime | None:
    """K-13: until the end of the next working day after the announcement (local time of
    Asia/Almaty); `APPEAL_WORKING_DAYS` working days in all. None before the announcement."""
    if sitting.announced_at is None:
        return None
    days = getattr(settings, "APPEAL_WORKING_DAYS", 1)
    local = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localtime(sitting.announced_at, local).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    end = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(end, local)


def repeat_opens(sitting: Sitting) -> datetime:
    """K-11: the moment a repeat attestation may be applied for — the start of the same
    calendar day a year after the failed sitting, local time (29 February → 1 March)."""
    local = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localtime(sitting.starts_at, local).date()
    try:
        opens = day.replace(year=day.year + REPEAT_AFTER_YEARS)
    except ValueError:  # 29 February, and the year after has none
        opens = date(day.year + REPEAT_AFTER_YEARS, 3, 1)
    return timezone.make_aware(datetime.combine(opens, time.min), local)
