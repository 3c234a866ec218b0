"""The text types of request schemas. Every string a client sends is one of these, so each is
checked for what cannot be stored or put in a document (NUL, a control character, a lone
surrogate: core/input) and documented with what the server accepts — a generated client or
schemathesis sends what the server takes.

    note: Text = ""                  any text, may be empty
    reason: Reason                   must say something: blank or spaces only is refused
"""

from typing import Annotated

from pydantic import AfterValidator, Field

from attestation.core.input import check_text

# Text: no NUL, no other control character but tab and line breaks (core/input.NOT_TEXT).
_NOT_TEXT = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff"
IS_TEXT = f"^[^{_NOT_TEXT}]*$"
# At least one character that is not a space, and no such character anywhere.
SAYS_SOMETHING = f"^[^{_NOT_TEXT}]*[^\\s{_NOT_TEXT}][^{_NOT_TEXT}]*$"
LONG = 10_000  # a reason, a note, an answer: far more than any person types in one field

Text = Annotated[
    str,
    AfterValidator(check_text),
    Field(max_length=LONG, json_schema_extra={"pattern": IS_TEXT}),
]
Reason = Annotated[
    str,
    AfterValidator(check_text),
    Field(min_length=1, max_length=LONG, json_schema_extra={"pattern": SAYS_SOMETHING}),
]


def text(max_length: int) -> type:
    """Text with a shorter limit (the column's)."""
    return Annotated[
        str,
        AfterValidator(check_text),
        Field(max_length=max_length, json_schema_extra={"pattern": IS_TEXT}),
    ]


def said(max_length: int) -> type:
    """A reason or an opinion with a shorter limit (the column's): blank is refused."""
    return Annotated[
        str,
        AfterValidator(check_text),
        Field(min_length=1, max_length=max_length, json_schema_extra={"pattern": SAYS_SOMETHING}),
    ]
