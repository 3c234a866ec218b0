"""A date and a 24-hour time as two text boxes.

`<input type=datetime-local>` and `type=time` follow the browser's locale, not the page's: an
English Chromium shows "mm/dd/yyyy --:-- --" with AM/PM on a Kazakh page. Two text boxes with
a pattern (dd.mm.yyyy and HH:MM) read the same in every browser; the server parses them.
"""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_PATTERN = r"\d{1,2}\.\d{1,2}\.\d{4}"
TIME_PATTERN = r"([01]?\d|2[0-3]):[0-5]\d"
# What the two boxes give, and what a script or an older form may still send in one field.
INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def date_attrs() -> dict:
    return {
        "class": "input input--date",
        "inputmode": "numeric",
        "pattern": DATE_PATTERN,
        "placeholder": _("dd.mm.yyyy"),
        "autocomplete": "off",
        "aria-label": _("Date (dd.mm.yyyy)"),
        "data-format-hint": _("Write the date as dd.mm.yyyy, e.g. 25.11.2026."),
    }


def time_attrs() -> dict:
    return {
        "class": "input input--time",
        "inputmode": "numeric",
        "pattern": TIME_PATTERN,
        "placeholder": _("hh:mm"),
        "autocomplete": "off",
        "aria-label": _("Time (hh:mm, 24-hour)"),
        "data-format-hint": _("Write the time as hh:mm on the 24-hour clock, e.g. 14:30."),
    }


class DateTimeTextWidget(forms.MultiWidget):
    """Two boxes, `<name>_date` and `<name>_time`; the single `<name>` is still accepted."""

    def __init__(self, attrs=None):
        super().__init__(
            {"date": forms.TextInput(date_attrs()), "time": forms.TextInput(time_attrs())}, attrs
        )

    def decompress(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [local.strftime("%d.%m.%Y"), local.strftime("%H:%M")]
        return [None, None]

    def value_from_datadict(self, data, files, name):
        if data.get(name):
            return data.get(name)
        return join_date_time(data.get(f"{name}_date", ""), data.get(f"{name}_time", ""))


def join_date_time(date: str, time: str) -> str:
    date, time = (date or "").strip(), (time or "").strip()
    return f"{date} {time}" if date or time else ""


def parse_local(value: str) -> datetime | None:
    """The text of the two boxes (or one ISO value) as an aware moment in Asia/Almaty."""
    for fmt in INPUT_FORMATS:
        try:
            parsed = datetime.strptime(value.strip(), fmt)  # noqa: DTZ007 -- made aware below
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    return None
