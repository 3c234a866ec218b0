from datetime import datetime

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    code: str


class TokenIn(Schema):
    username: str
    password: str


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
