"""The API's request parser: strict JSON for every operation (core/input), so no endpoint
meets an infinite number or a body that is not UTF-8. The text in the fields is checked by
their types (attestation/api/types); query strings by core.input.InputMiddleware."""

from ninja.parser import Parser

from attestation.core.input import json_loads


class StrictParser(Parser):
    def parse_body(self, request):
        return json_loads(request.body, text=False)
