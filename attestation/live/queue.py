"""The live queue, read side (R-13.1, R-24.1): when questioning begins, who answers now, each
examinee's estimated start, and the timers. Read on every 3-second poll: no writes.

Estimates: an oral exam's questioning begins `questioning_delay_minutes` after the latest draw
(R-13.1); a defence runs in `slot_minutes` slots from the sitting's start in list order
(R-24.1). Someone already called keeps their real start; the others follow the one before
them, never earlier than their planned slot (defence), nor earlier than now.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import ngettext

from attestation.commissions.models import Examinee, Sitting
from attestation.tickets.models import Draw

S = Examinee.Status
# Who the queue calls next: an oral examinee once they have drawn, a defender once admitted.
READY = {Sitting.Form.ORAL_EXAM: S.DRAWN, Sitting.Form.DEFENSE: S.ADMITTED}
# Still on the way to the queue: not yet admitted (defence), or not yet drawn (oral exam).
NOT_YET_READY = {
    Sitting.Form.ORAL_EXAM: (S.WAITING, S.IDENTIFIED, S.ADMITTED),
    Sitting.Form.DEFENSE: (S.WAITING, S.IDENTIFIED),
}


def not_ready_count(sitting) -> int:
    """How many in the list cannot be called yet (the secretary has still to admit them, or at
    an oral exam they have still to draw)."""
    return sitting.examinees.filter(status__in=NOT_YET_READY[sitting.form]).count()


def not_ready_message(sitting, n: int) -> str:
    if sitting.form == Sitting.Form.ORAL_EXAM:
        return ngettext(
            "%(n)s examinee is not ready yet: the technical secretary admits them, then they "
            "draw a ticket.",
            "%(n)s examinees are not ready yet: the technical secretary admits them, then "
            "they draw a ticket.",
            n,
        ) % {"n": n}
    return ngettext(
        "%(n)s examinee is not ready yet: the technical secretary must check their identity "
        "and admit them first.",
        "%(n)s examinees are not ready yet: the technical secretary must check their identity "
        "and admit them first.",
        n,
    ) % {"n": n}


LIVE_FORMS = tuple(READY)
# Still expected in the queue (not yet called); absent and moved examinees leave it.
EXPECTED = (S.WAITING, S.IDENTIFIED, S.ADMITTED, S.DRAWN, S.SUSPENDED)
SPEECH_AMBER_S, SPEECH_RED_S = 7 * 60, 10 * 60


@dataclass
class QuestioningStart:
    at: datetime | None
    provisional: bool  # some admitted examinees have not drawn yet: a late draw moves it


def questioning_start(sitting: Sitting) -> QuestioningStart:
    """R-13.1: 30 minutes (the sitting's delay) after the last examinee drew."""
    if sitting.form != Sitting.Form.ORAL_EXAM:
        return QuestioningStart(None, False)
    last = Draw.objects.filter(sitting=sitting).aggregate(last=Max("drawn_at"))["last"]
    waiting = sitting.examinees.filter(status=S.ADMITTED).exists()
    if last is None:
        return QuestioningStart(None, waiting)
    return QuestioningStart(last + timedelta(minutes=sitting.questioning_delay_minutes), waiting)


@dataclass
class Item:
    examinee: Examinee
    state: str  # done | current | waiting
    starts_at: datetime | None


def queue_items(sitting: Sitting, *, now=None, start: QuestioningStart | None = None) -> list:
    """The queue in list order, with each examinee's real or estimated start."""
    now = now or timezone.now()
    slot = timedelta(minutes=sitting.slot_minutes)
    if sitting.form == Sitting.Form.DEFENSE:
        cursor = sitting.starts_at
    else:
        cursor = (start or questioning_start(sitting)).at
    examinees = sitting.examinees.select_related("student__user").order_by("position")
    items, index = [], 0
    for e in examinees:
        if e.questioning_started_at is not None:
            state = "current" if e.status == S.ANSWERING else "done"
            items.append(Item(e, state, e.questioning_started_at))
            end = e.questioning_ended_at or max(e.questioning_started_at + slot, now)
            cursor = max(cursor, end) if cursor else end
        elif e.status in EXPECTED:
            planned = None
            if sitting.form == Sitting.Form.DEFENSE:
                planned = sitting.starts_at + index * slot
            at = max(t for t in (cursor, planned, now) if t) if cursor else None
            items.append(Item(e, "waiting", at))
            cursor = at + slot if at else None
        else:
            continue
        index += 1
    return items


def current_of(items: list) -> Item | None:
    return next((i for i in items if i.state == "current"), None)


@dataclass
class Timer:
    elapsed_ms: int
    running: bool


def timer_of(examinee: Examinee, *, now=None, interruptions=None) -> Timer | None:
    """Time spent answering, from server timestamps; an interruption (R-25.1) pauses it."""
    started = examinee.questioning_started_at
    if started is None:
        return None
    now = now or timezone.now()
    end = examinee.questioning_ended_at or now
    if interruptions is None:
        interruptions = list(examinee.interruptions.all())
    paused = timedelta()
    running = examinee.questioning_ended_at is None
    for i in interruptions:
        if i.started_at < started:
            continue
        if i.ended_at is None:
            end = min(end, i.started_at)
            running = False
        else:
            paused += i.ended_at - i.started_at
    elapsed = max(end - started - paused, timedelta())
    return Timer(int(elapsed.total_seconds() * 1000), running)
