"""Accommodations for one examinee (SPEC K-14): extra writing time, recorded with a reason and
editable during the exam, and the exam language: the ticket bank's language the student draws
from (Kazakh or Russian).

The extra time lives on the examinee (`extra_minutes`, `extra_reason`) and is added wherever a
deadline is computed (`commissions.deadlines`): the student's countdown, the upload window and
the end of grading move at once. The language is read by both draws (`tickets.services`,
`tickets.pg_draw`) under the examinee's row lock, so a change cannot slip between the offer and
the pick; it is changed only before the draw.
"""

import math

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions.closing import ensure_not_announced
from attestation.commissions.deadlines import answer_deadline
from attestation.commissions.models import EXAM_LANGUAGES, Examinee, Sitting
from attestation.commissions.services import examinee_locked
from attestation.core.errors import DomainError
from attestation.tickets.models import Ticket

S = Examinee.Status
# Extra time no longer helps once the answer is in or the attestation is over for the student.
CLOSED = (S.SUBMITTED, S.DONE, S.TERMINATED, S.ABSENT, S.ABSENT_VALID, S.MOVED)
REASON_MAX = 500  # the column's length
LANGUAGE_CODES = tuple(code for code, _label in EXAM_LANGUAGES)


def extra_minutes_limit(sitting: Sitting) -> int:
    """The most extra time one examinee may get: the sitting's writing time again (double
    time is the most an accommodation grants; a larger number is a typing mistake)."""
    return sitting.writing_minutes


def language_label(code: str) -> str:
    return str(dict(EXAM_LANGUAGES).get(code, code))


def _hm(moment) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def _check_minutes(sitting: Sitting, minutes) -> int:
    limit = extra_minutes_limit(sitting)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= limit:
        raise DomainError(
            _("Give the extra time in whole minutes, from 0 to %(limit)s (0 removes it).")
            % {"limit": limit},
            "invalid_minutes",
            422,
        )
    return minutes


def _check_reason(reason) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise DomainError(_("Give the reason for the extra time."), "reason_required", 422)
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("The reason is too long: at most %(limit)s characters.") % {"limit": REASON_MAX},
            "reason_too_long",
            422,
        )
    return reason


def examinee_extra_time_set(*, examinee: Examinee, minutes: int, reason: str, actor) -> Examinee:
    """Give one examinee `minutes` of extra writing time (SPEC K-14), with a reason; a later
    value replaces the earlier, 0 removes it. Written exams only (the writing time is what is
    extended); refused once the answer is submitted or the attestation is over for the student,
    and after the announcement (K-7). Time already written is not taken back: a smaller value
    that would end the writing time in the past is refused. Audited: from → to minutes."""
    sitting = examinee.sitting
    if sitting.form != Sitting.Form.WRITTEN_EXAM:
        raise DomainError(
            _("Extra time extends the writing time of a written exam; this sitting has none."),
            "no_writing_time",
        )
    minutes = _check_minutes(sitting, minutes)
    reason = _check_reason(reason)
    with transaction.atomic():
        locked = examinee_locked(examinee)
        ensure_not_announced(locked.sitting)
        if locked.status in CLOSED or locked.submitted_at is not None:
            raise DomainError(
                _(
                    "The answer is already submitted or the attestation is over for this "
                    "student: extra time can no longer be given."
                ),
                "answer_closed",
            )
        before = locked.extra_minutes
        if before == minutes and (minutes == 0 or locked.extra_reason == reason):
            return locked  # the same value again: nothing changes, nothing to record
        locked.extra_minutes = minutes
        deadline = answer_deadline(locked)
        now = timezone.now()
        if minutes < before and deadline is not None and deadline < now:
            draw = locked.draw
            needed = math.ceil((now - draw.drawn_at).total_seconds() / 60) - sitting.writing_minutes
            raise DomainError(
                _(
                    "With %(minutes)s minutes the writing time would have ended at %(time)s, "
                    "which has passed: give at least %(needed)s minutes."
                )
                % {"minutes": minutes, "time": _hm(deadline), "needed": needed},
                "deadline_passed",
            )
        locked.extra_reason = reason if minutes else ""
        locked.save(update_fields=["extra_minutes", "extra_reason"])
        log_action(
            actor=actor,
            action="examinee.extra_time",
            target=locked,
            from_state=str(before),
            to_state=str(minutes),
            reason=reason,
            data={
                "from_minutes": before,
                "to_minutes": minutes,
                "answer_deadline": deadline.isoformat() if deadline else None,
            },
        )
    return locked


def examinee_exam_language_set(*, examinee: Examinee, language: str, actor) -> Examinee:
    """Set the language of the tickets this examinee draws (SPEC K-14): `kk`, `ru`, or blank
    for any ticket of the bank. Only before the draw: the ticket, once drawn, is final (R-11.1).
    A bank without a ticket in that language is not refused here (the bank may be completed
    later); the secretary's pages warn about it (`language_warnings`)."""
    language = (language or "").strip()
    if language and language not in LANGUAGE_CODES:
        raise DomainError(
            _("Choose the exam language: %(choices)s, or leave it blank.")
            % {"choices": ", ".join(language_label(c) for c in LANGUAGE_CODES)},
            "invalid_language",
            422,
        )
    with transaction.atomic():
        locked = examinee_locked(examinee)
        ensure_not_announced(locked.sitting)
        if locked.exam_language == language:
            return locked
        if getattr(locked, "draw", None) is not None:
            raise DomainError(
                _("The ticket is already drawn: the exam language can no longer be changed."),
                "already_drawn",
            )
        before = locked.exam_language
        locked.exam_language = language
        locked.save(update_fields=["exam_language"])
        log_action(
            actor=actor,
            action="examinee.exam_language",
            target=locked,
            from_state=before,
            to_state=language,
        )
    return locked


def bank_languages(sitting: Sitting) -> set[str]:
    """The languages the sitting's bank has tickets in."""
    if sitting.ticket_bank_id is None:
        return set()
    return set(
        Ticket.objects.filter(bank_id=sitting.ticket_bank_id)
        .order_by()
        .values_list("language", flat=True)
        .distinct()
    )


def language_warnings(sitting: Sitting, examinees) -> list[str]:
    """For the secretary: each exam language asked for that the bank has no ticket in, with
    how many of the examinees not yet drawn it stops (they would get 409 `no_tickets`)."""
    if not sitting.is_exam:
        return []
    waiting: dict[str, int] = {}
    for examinee in examinees:
        if examinee.exam_language and getattr(examinee, "draw", None) is None:
            waiting[examinee.exam_language] = waiting.get(examinee.exam_language, 0) + 1
    if not waiting:
        return []
    have = bank_languages(sitting)
    return [
        _(
            "The ticket bank has no ticket in %(language)s: %(count)s examinee(s) with this "
            "exam language cannot draw. Add the tickets or change their language."
        )
        % {"language": language_label(code), "count": count}
        for code, count in sorted(waiting.items())
        if code not in have
    ]
