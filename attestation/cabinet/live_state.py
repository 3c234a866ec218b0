"""What the student's exam pages say about the attestation's state, live (the exam room and
the ticket page poll it): suspended, resumed, stopped, absent, the upload window extended,
extra time given (SPEC K-14), the results announced — each with a sentence saying what
happened and what to do.

`key` changes whenever the page must change: the page sends back the key it has (`seen`),
and when it differs the page refreshes its entry button or upload panel without a reload."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.commissions.deadlines import answer_deadline, upload_closes_at
from attestation.commissions.models import Examinee

S = Examinee.Status
# After these nothing changes for the student on this page any more: the poll stops.
FINAL = (S.TERMINATED, S.ABSENT, S.ABSENT_VALID, S.MOVED)
# The attestation is over for the student: the camera is switched off (R-2.1 ends).
OVER = (S.SUBMITTED, S.DONE, *FINAL)


def _hm(moment) -> str:
    return formats.time_format(timezone.localtime(moment), "H:i")


def exam_state(examinee: Examinee, *, seen: str = "") -> dict:
    """The banner for the student's exam pages. `seen`: the key the page was drawn with."""
    sitting = examinee.sitting
    status = examinee.status
    written = sitting.form == sitting.Form.WRITTEN_EXAM
    closes = upload_closes_at(examinee) if written else None
    # Extra time (SPEC K-14) moves the writing deadline: a change of it is a change of key, so
    # the open page redraws its countdown without a reload.
    writing_ends = answer_deadline(examinee) if written else None
    extra = examinee.extra_minutes if written else 0
    announced = bool(sitting.announced_at)
    key = "|".join(
        [
            status,
            closes.isoformat() if closes else "",
            "announced" if announced else "",
            writing_ends.isoformat() if writing_ends else "",
            str(extra),
        ]
    )
    parts = seen.split("|")
    seen_status = parts[0]
    seen_closes = parts[1] if len(parts) > 1 else ""
    # `seen` comes back from the page's query string: anything but minutes reads as unseen.
    seen_extra = int(parts[4]) if len(parts) > 4 and parts[4].isdigit() else None
    level, text, action = "", "", None
    if status == S.SUSPENDED:
        level = "warning"
        text = _(
            "The commission has suspended your attestation. Stay in the conference with the "
            "camera on and wait: this page changes by itself when the commission decides."
        )
    elif status == S.TERMINATED:
        level = "error"
        text = _(
            "The commission has stopped your attestation: it is recorded as not completed. "
            "If you disagree with the decision, you may file an appeal after the results."
        )
        action = (reverse("applications:mine"), _("Applications"))
    elif status in (S.ABSENT, S.ABSENT_VALID):
        level = "error"
        text = _(
            "You are marked absent in this sitting. If you had a valid reason, file an absence "
            "application with the document that proves it."
        )
        action = (reverse("applications:mine"), _("Applications"))
    elif status == S.MOVED:
        level = "info"
        text = _("You have been moved to another sitting: see your schedule.")
        action = (reverse("cabinet:sac"), _("Open the schedule"))
    elif announced:
        level = "success"
        text = _("The results are announced: your result is in your schedule.")
        action = (reverse("cabinet:sac"), _("Open the schedule"))
    elif status in (S.SUBMITTED, S.DONE):
        level = "info"
        text = _(
            "Your attestation in this sitting is finished; the camera is off. The results are "
            "announced by the commission: they will appear in your schedule and in Notices."
        )
    elif seen_status == S.SUSPENDED:
        level = "success"
        text = _("The commission has resumed your attestation: go on where you stopped.")
    elif seen and seen_extra is not None and seen_extra != extra and status not in OVER:
        level = "success" if extra > seen_extra else "info"
        text = _extra_time_news(extra, writing_ends)
    elif closes and seen_closes and seen_closes < closes.isoformat():
        level = "success"
        text = _("The upload window is extended: photos can be uploaded until %(time)s.") % {
            "time": _hm(closes)
        }
    return {
        "key": key,
        "changed": bool(seen) and seen != key,
        "level": level,
        "text": text,
        "action": action,
        "polling": status not in FINAL and not announced,
        "camera_off": status in OVER or announced,
        # Shown on the exam pages while it matters: the extra time given and where it ends.
        "extra_minutes": extra if status not in OVER else 0,
        "writing_ends": writing_ends,
    }


def _extra_time_news(extra: int, writing_ends) -> str:
    """What the student is told when the commission gives, changes or removes extra time."""
    if extra and writing_ends:
        return _(
            "The commission has given you %(minutes)s minutes of extra time: you write until "
            "%(time)s."
        ) % {"minutes": extra, "time": _hm(writing_ends)}
    if extra:
        return _(
            "The commission has given you %(minutes)s minutes of extra time for the writing."
        ) % {"minutes": extra}
    if writing_ends:
        return _("Your extra time has been removed: you write until %(time)s.") % {
            "time": _hm(writing_ends)
        }
    return _("Your extra time has been removed.")
