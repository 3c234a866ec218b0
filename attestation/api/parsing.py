"""The API's request parser: strict JSON for every operation (core/input), so no endpoint
meets an infinite number or a body that is not UTF-8. The text in the fields is checked by
their types (attestation/api/types); query strings by core.input.InputMiddleware."""

from django.utils.translation import gettext as _
from ninja.parser import Parser

from attestation.core.input import BadInput, json_loads


class StrictParser(Parser):
    def parse_body(self, request):
        return json_loads(request.body, text=False)

    def parse_querydict(self, data, list_fields, request):
        if (
            request.method == "POST"  # only an operation with a body documents 400 (errors.py)
            and request.content_type == "multipart/form-data"
            and not request.POST
            and not request.FILES
        ):
            _refuse_unread_parts(request)
        return super().parse_querydict(data, list_fields, request)


def _refuse_unread_parts(request) -> None:
    """A multipart body that holds something and yet no part Django could read (a part
    without its headers, say) was taken as an empty form: a protocol signed on a body that
    meant something else. The empty form is the closing delimiter alone (the stream is read
    by now, so its length is what is judged)."""
    boundary = request.content_params.get("boundary", "")
    empty = len(f"\r\n--{boundary}--\r\n".encode("latin-1", "replace"))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > empty:
        raise BadInput(_("The request body is not a valid form."), "bad_form", status=400)
