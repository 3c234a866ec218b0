"""When an application may still be filed (R-17.1, R-27.1) and when an appeal closes."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from attestation.commissions.models import Sitting


def absence_deadline(sitting: Sitting) -> datetime:
    """An absence application may follow the sitting for a few days (default 3)."""
    days = getattr(settings, "ABSENCE_APPLICATION_DAYS", 3)
    return sitting.starts_at + timedelta(days=days)


def appeal_deadline(sitting: Sitting) -> datetime | None:
    """Until the end of the next working day after the announcement (Mon–Fri, local time of
    Asia/Almaty); `APPEAL_WORKING_DAYS` working days in all. None before the announcement."""
    if sitting.announced_at is None:
        return None
    days = getattr(settings, "APPEAL_WORKING_DAYS", 1)
    local = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localtime(sitting.announced_at, local).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    end = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(end, local)
