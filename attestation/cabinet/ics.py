"""An iCalendar (RFC 5545) file of the student's sittings, for their phone's calendar."""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    # Lines longer than 75 octets are folded (RFC 5545 §3.1); count bytes, not characters,
    # so Kazakh text folds right.
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def examinee_event(examinee) -> dict:
    """One student's place in one sitting as an event. The same UID in the cabinet's file and
    in the invitation, whoever asks and from whichever host, so a calendar that imports both
    keeps one event; SEQUENCE and LAST-MODIFIED come from the sitting, so when it moves the
    calendar updates the event instead of adding another."""
    sitting = examinee.sitting
    minutes = sitting.writing_minutes if sitting.is_exam else sitting.slot_minutes
    return {
        "uid": f"examinee-{examinee.pk}",
        "sequence": sitting.calendar_sequence,
        "modified_at": sitting.calendar_modified_at,
        "starts_at": sitting.starts_at,
        "minutes": minutes,
        "summary": f"{sitting.form_label}: {sitting.title}",
        "description": _("Join the conference %(minutes)s minutes before the start.")
        % {"minutes": sitting.join_minutes_before}
        + (f"\n{sitting.conference_url}" if sitting.conference_url else ""),
        "url": sitting.conference_url,
    }


def calendar(events: list[dict]) -> str:
    """`events`: dicts with uid, starts_at, minutes, summary, description, url, and
    optionally sequence and modified_at (see `examinee_event`)."""
    host = (
        settings.CALENDAR_UID_DOMAIN or urlsplit(settings.SITE_URL).hostname or "attestation.local"
    )
    now = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Attestation//Final attestation//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}@{host}",
            f"DTSTAMP:{_stamp(now)}",
            f"SEQUENCE:{event.get('sequence', 0)}",
            f"DTSTART:{_stamp(event['starts_at'])}",
            f"DTEND:{_stamp(event['starts_at'] + timedelta(minutes=event['minutes']))}",
            f"SUMMARY:{_escape(event['summary'])}",
            f"DESCRIPTION:{_escape(event['description'])}",
        ]
        if event.get("modified_at"):
            lines.append(f"LAST-MODIFIED:{_stamp(event['modified_at'])}")
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
