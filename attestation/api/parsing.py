"""The API's request parser: strict JSON and storable text for every operation (core/input),
so no endpoint has to check for a lone surrogate, NUL or an infinite number itself."""

from ninja.parser import Parser

from attestation.core.input import check_strings, json_loads


class StrictParser(Parser):
    def parse_body(self, request):
        return json_loads(request.body)

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for key, value in result.items():
            check_strings(key)
            if isinstance(value, list):
                check_strings([item for item in value if isinstance(item, str)])
            elif isinstance(value, str):
                check_strings(value)
        return result
