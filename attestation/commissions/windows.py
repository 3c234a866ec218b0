"""Which datetimes a user may send for a sitting (CONTRACT.md: "a datetime outside what makes
sense for its sitting → 422; nothing stored").

A datetime far from its sitting is never meant, and an extreme one is harmful: 9999-12-31 at
UTC-12 is year 10000 in UTC, which PostgreSQL stores but Python cannot read back, so every page
showing the row would fail. Each service that takes a datetime from a user checks it here
before writing, so the pages and the API refuse the same values with the same message.
"""

from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.core.errors import DomainError

# How far from the sitting's start each kind of datetime may lie.
UPLOAD_WINDOW_AFTER_START = timedelta(days=3)  # a written answer is uploaded the same day
ANNOUNCEMENT_AFTER_START = timedelta(days=21)  # results within three weeks of the sitting
INCIDENT_BEFORE_START = timedelta(hours=12)  # the waiting room opens before the start
CLOCK_SKEW = timedelta(minutes=1)  # a client's clock a little ahead of ours
SECOND_SITTING_AFTER_YEARS = 1  # K-12: a postponement is within a year of the sitting


def shown(value: datetime) -> str:
    """A datetime as the user reads it: local time, the active language's format."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def aware(value: datetime | None) -> datetime | None:
    """A naive datetime is the server's local time (Asia/Almaty), as forms send it."""
    if value is None or not timezone.is_naive(value):
        return value
    try:
        return timezone.make_aware(value)
    except (OverflowError, ValueError):
        raise DomainError(_("This date and time cannot be used."), "out_of_range", 422) from None


def require_within(value: datetime, *, earliest: datetime, latest: datetime, what: str) -> datetime:
    """`value` if `earliest <= value <= latest`, else a 422 naming both bounds. `what` is the
    translated name of the field ("The upload window", ...). Comparing aware datetimes never
    converts them, so an extreme value cannot overflow here."""
    value = aware(value)
    if earliest <= value <= latest:
        return value
    raise DomainError(
        _("%(what)s must be between %(earliest)s and %(latest)s.")
        % {"what": what, "earliest": shown(earliest), "latest": shown(latest)},
        "out_of_range",
        422,
    )


def upload_window_bounds(sitting, now: datetime) -> tuple[datetime, datetime]:
    return max(now, sitting.starts_at), sitting.starts_at + UPLOAD_WINDOW_AFTER_START


def announcement_bounds(sitting) -> tuple[datetime, datetime]:
    return sitting.starts_at, sitting.starts_at + ANNOUNCEMENT_AFTER_START


def incident_bounds(sitting, now: datetime) -> tuple[datetime, datetime]:
    return sitting.starts_at - INCIDENT_BEFORE_START, now + CLOCK_SKEW


def a_year_after(value: datetime, years: int = 1) -> datetime:
    """The same local date and time `years` later (29 February → 28 February)."""
    local = timezone.localtime(value)
    try:
        return local.replace(year=local.year + years)
    except ValueError:
        return local.replace(year=local.year + years, day=28)


def second_sitting_bounds(original, now: datetime) -> tuple[datetime, datetime]:
    """K-12: after the original sitting and now, and within a year of the original sitting."""
    latest = a_year_after(original.starts_at, SECOND_SITTING_AFTER_YEARS)
    return max(original.starts_at, now), latest
