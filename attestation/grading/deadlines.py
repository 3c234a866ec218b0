"""When the answers close and when grading is due (R-15.1), always from server time."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from attestation.commissions.deadlines import upload_closes_at
from attestation.commissions.models import Examinee, Sitting

S = Examinee.Status
# Still in the room (or paused): the last examinee has not finished yet.
STILL_ANSWERING = (S.WAITING, S.IDENTIFIED, S.ADMITTED, S.DRAWN, S.ANSWERING, S.SUSPENDED)
NOT_SITTING = (S.ABSENT, S.ABSENT_VALID, S.MOVED)


def answers_close_at(sitting: Sitting, examinees: Iterable[Examinee]) -> datetime:
    """The moment the sitting's answers close, from which the grading time runs (R-15.1).

    - Written exam: the latest `upload_closes_at` among the examinees with a draw (the writing
      time, the upload window and any extension the secretary gave, R-12.1, R-14.1). Before
      anyone has drawn: the start + writing time + upload window.
    - Oral exam and defence: the time the last examinee finished (`questioning_ended_at`) once
      no one is still waiting, answering or suspended. Until then a planned end: the start +
      the preparation time (oral exam, R-13.1) + one slot (R-24.1: 15 min) per examinee who
      sits, or the latest finish so far if that is later.

    Pass the examinees with `draw` already fetched (select_related) to keep this query-free.
    """
    examinees = list(examinees)
    if sitting.form == Sitting.Form.WRITTEN_EXAM:
        closes = [
            c
            for e in examinees
            if getattr(e, "draw", None) is not None and (c := upload_closes_at(e)) is not None
        ]
        if closes:
            return max(closes)
        return sitting.starts_at + timedelta(
            minutes=sitting.writing_minutes + sitting.upload_minutes
        )
    finished = [e.questioning_ended_at for e in examinees if e.questioning_ended_at]
    sitting_ones = [e for e in examinees if e.status not in NOT_SITTING]
    if finished and not any(e.status in STILL_ANSWERING for e in sitting_ones):
        return max(finished)
    delay = sitting.questioning_delay_minutes if sitting.form == Sitting.Form.ORAL_EXAM else 0
    planned = sitting.starts_at + timedelta(
        minutes=delay + sitting.slot_minutes * max(len(sitting_ones), 1)
    )
    return max([planned, *finished])


def grading_deadline(sitting: Sitting, examinees: Iterable[Examinee]) -> datetime:
    """The answers close + the sitting's grading time (default 2 hours, R-15.1)."""
    return answers_close_at(sitting, examinees) + timedelta(minutes=sitting.grading_minutes)
