"""Text and JSON a user sends, checked once before any view or service sees it.

Some values are valid JSON or valid form data and still cannot be stored: a lone surrogate
("\\ud800") cannot be encoded for SQLite or PostgreSQL, PostgreSQL refuses NUL ("\\u0000") in
text, and `1e309` or `Infinity` parse as an infinite float that no integer id can be made from.
Each used to end in a 500 somewhere deep in a service. The API's parser (attestation/api/parsing)
and the pages' JSON endpoints read bodies through `json_loads`; `InputMiddleware` refuses such
text in any page's query string or form. A refused request changes nothing.
"""

import json
import math
import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from attestation.core.errors import DomainError

# A surrogate code point alone is not a character; NUL is not text in PostgreSQL.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Nor is it text in a document: XML 1.0, which DOCX and XLSX are made of, cannot hold the C0
# control characters other than tab and line breaks, nor U+FFFE/U+FFFF. A chair's remark with
# one was stored, and every DOCX of the report answered 500 from then on.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BadInput(DomainError):
    status = 422


def _bad_text() -> BadInput:
    return BadInput(
        _(
            "The request contains characters that are not text "
            "(a control character, NUL or a broken character)."
        ),
        "invalid_text",
    )


def _bad_number(_value=None):
    raise BadInput(_("Numbers must be finite: Infinity and NaN are not numbers."), "invalid_number")


def _float(text: str) -> float | int:
    value = float(text)
    if not math.isfinite(value):
        _bad_number()
    # JSON Schema's "integer" is any number without a fraction: 80.0 is the integer 80.
    return int(value) if value.is_integer() and abs(value) < 2**63 else value


def check_text(value: str) -> str:
    """A value a user sends: storable, and text that every document can hold."""
    if NOT_TEXT.search(value):
        raise _bad_text()
    return value


def check_key(value: str) -> str:
    """A field's name: only what cannot be stored is refused. An unknown field is dropped
    unread, and a schema that allows other fields allows any name for them."""
    if UNSTORABLE.search(value):
        raise _bad_text()
    return value


def document_text(value: str) -> str:
    """`value` without what a document cannot hold, for text stored before `check_text`
    refused it (or arriving another way): the record is still made, not a 500."""
    return NOT_TEXT.sub("", value)


def check_strings(data):
    """Every string in a parsed JSON value, keys included."""
    if isinstance(data, str):
        check_text(data)
    elif isinstance(data, dict):
        for key, item in data.items():
            check_key(key)
            check_strings(item)
    elif isinstance(data, list):
        for item in data:
            check_strings(item)
    return data


def json_loads(raw: bytes | str, *, text: bool = True):
    """Strict JSON: UTF-8, finite numbers, storable text (unless `text=False`: the API's
    schemas check their own fields with `attestation.api.types`, and ignore the rest).
    Anything else raises `BadInput` (400 for what is not JSON at all, 422 for JSON with values
    that cannot be used)."""
    try:
        decoded = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(decoded, parse_constant=_bad_number, parse_float=_float)
    except BadInput:
        raise
    except (ValueError, RecursionError):
        # UnicodeDecodeError is a ValueError too.
        raise BadInput(_("The request body is not valid JSON."), "bad_json", status=400) from None
    return check_strings(data) if text else data


class InputMiddleware:
    """Pages: a query string or form field with a control character, NUL or a broken
    character is refused (400)
    before any view reads it. File contents are not text and are not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        try:
            for pair in request.GET.lists():
                self._check(pair)
            # The API reads its bodies through its own parser (attestation/api/parsing).
            if request.method == "POST" and not api:
                try:
                    fields = request.POST.lists()
                except MultiPartParserError:
                    fields = []  # the view (or the CSRF check) answers a broken upload
                for pair in fields:
                    self._check(pair)
        except BadInput as error:
            if api:
                body = {"detail": error.message, "code": error.code}
                return JsonResponse(body, status=error.status)
            return HttpResponseBadRequest(error.message, content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _check(pair):
        key, items = pair
        check_key(key)
        for item in items:
            check_text(item)
