from datetime import datetime

from ninja import Schema

from attestation.api.types import text


class ErrorOut(Schema):
    detail: str
    code: str


class TokenIn(Schema):
    # A username is at most 150 characters (Django's User); refusing longer ones here keeps
    # a 50,000-character name away from the lookups (SQLite: "LIKE pattern too complex").
    username: text(150)
    password: text(4096)


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]


class ScheduleItem(Schema):
    examinee_id: int
    sitting_id: int
    kind: str
    starts_at: datetime
    conference_url: str
    status: str


def download(content_type: str, description: str) -> dict:
    """`openapi_extra` for an operation that answers a file: its 200 and media type, and the
    `lang` it is made in."""
    return {
        "parameters": [
            {
                "name": "lang",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["kk", "ru", "en"], "default": "kk"},
            }
        ],
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    }
