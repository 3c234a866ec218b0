from datetime import datetime

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str
    code: str


class TokenIn(Schema):
    # A username is at most 150 characters (Django's User); refusing longer ones here keeps
    # a 50,000-character name away from the lookups (SQLite: "LIKE pattern too complex").
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)


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
