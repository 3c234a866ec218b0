"""Deadlines, always from server time (R-12.1, R-14.1, R-15.1)."""

from datetime import datetime, timedelta

from attestation.commissions.models import Examinee


def answer_deadline(examinee: Examinee, draw=None) -> datetime | None:
    """End of the writing time: the draw plus the sitting's writing minutes (2 h, R-12.1) plus
    the examinee's extra time (SPEC K-14), so the countdown and the upload window move with it.
    None before the draw, and for forms without a written answer. Pass `draw` if at hand."""
    if draw is None:
        draw = getattr(examinee, "draw", None)  # a missing reverse one-to-one reads as None
    if draw is None or examinee.sitting.form != examinee.sitting.Form.WRITTEN_EXAM:
        return None
    minutes = examinee.sitting.writing_minutes + (examinee.extra_minutes or 0)
    return draw.drawn_at + timedelta(minutes=minutes)


def upload_closes_at(examinee: Examinee) -> datetime | None:
    """The upload window (R-14.1) follows the writing time, extra time included; the secretary
    may extend it for one examinee (`upload_extended_until`)."""
    deadline = answer_deadline(examinee)
    if deadline is None:
        return None
    closes = deadline + timedelta(minutes=examinee.sitting.upload_minutes)
    if examinee.upload_extended_until and examinee.upload_extended_until > closes:
        return examinee.upload_extended_until
    return closes
