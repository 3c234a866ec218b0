"""Dates on the exam-day pages without Django's date formatting, which costs ≈ 20–35 µs a
call (bench/run.py; a ticket page made a dozen):

- `{% server_time %}`: the footer's "Server time" on every page, as `{% now %}` wrote it
  (`datetime` to the second, the text in the language's DATETIME_FORMAT, formatted once per
  minute, language and time zone: it shows minutes only);
- `{{ moment|iso }}`: what `{{ moment|date:"c" }}` gives (ISO 8601 in the current time zone),
  for the countdowns' `data-` attributes."""

from datetime import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import formats, timezone
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

register = template.Library()
_texts: dict = {}


def minute_text(moment) -> str:
    """DATETIME_FORMAT of `moment` (local time), remembered for its minute (unless the
    language's format shows seconds)."""
    if "s" in get_format("DATETIME_FORMAT"):
        return formats.date_format(moment, "DATETIME_FORMAT")
    key = (get_language(), get_current_timezone_name(), moment.replace(second=0, microsecond=0))
    text = _texts.get(key)
    if text is None:
        if len(_texts) > 256:
            _texts.clear()
        text = _texts[key] = formats.date_format(moment, "DATETIME_FORMAT")
    return text


@register.filter
def iso(value) -> str:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()
    return date_filter(value, "c")


@register.simple_tag
def server_time():
    moment = timezone.localtime(timezone.now())
    return format_html(
        '<time data-server-time datetime="{}">{}</time>',
        moment.strftime("%Y-%m-%dT%H:%M:%S%z"),
        minute_text(moment),
    )
