"""Every URL of the pages and the API × every persona (STYLE.md). A URL that is not in the
matrix fails `test_every_url_is_in_the_matrix`: a new page must say who may open it.
Out-of-scope objects answer 404, never 403, so that their existence does not leak."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from attestation.api.urls import api as ninja_api
from attestation.commissions import services
from attestation.tickets.services import ticket_draw
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
COMMISSION = ("secretary", "member", "chair")


@dataclass
class Entry:
    url: Callable  # world → path
    expect: dict[str, int]
    method: str = "get"
    data: dict = field(default_factory=dict)


def allow(default: int = 404, anonymous: int = 302, **personas: int) -> dict[str, int]:
    expected = {p: default for p in SIGNED_IN} | {"anonymous": anonymous}
    return expected | personas


def api(default: int = 404, **personas: int) -> dict[str, int]:
    return allow(default, 401, **personas)


everyone = allow(200)


def _job():
    from attestation.imports.models import ImportJob

    return ImportJob.objects.get_or_create(kind="students", original_name="students.xlsx")[0]


def _phone_token(w) -> str:
    from attestation.answers.services import upload_link_create

    return upload_link_create(examinee=w.examinee, actor=w.user("student"))[
        1
    ]  # Pages: route name → entry. Paths are Kazakh (the default language).


PAGES: dict[str, Entry] = {
    "root": Entry(lambda w: "/", allow(302, 302)),
    "healthz": Entry(lambda w: "/healthz", allow(200, 200)),
    "set_language": Entry(lambda w: "/i18n/setlang/", allow(302, 302), "post", {"language": "ru"}),
    "accounts:login": Entry(lambda w: "/kk/accounts/login/", allow(302, 200)),
    "accounts:logout": Entry(lambda w: "/kk/accounts/logout/", allow(302, 302), "post"),
    "accounts:password_change": Entry(lambda w: "/kk/accounts/password/", everyone),
    "cabinet:home": Entry(lambda w: "/kk/", everyone),
    "cabinet:sac": Entry(lambda w: "/kk/training/sac/", allow(student=200, other_student=200)),
    "cabinet:sac_calendar": Entry(
        lambda w: "/kk/training/sac/calendar.ics", allow(student=200, other_student=200)
    ),
    "cabinet:exam_room": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/", allow(student=200)),
    "cabinet:exam_entry": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/entry/", allow(student=200)),
    "cabinet:exam_rules": Entry(
        lambda w: f"/kk/exam/{w.other_examinee.pk}/rules/", allow(other_student=302), "post"
    ),
    "cabinet:exam_draw": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/draw/", allow(student=302)),
    "cabinet:exam_ticket": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/ticket/", allow(student=200)),
    "console:sittings": Entry(lambda w: "/kk/staff/sittings/", everyone),
    "console:sitting": Entry(
        lambda w: f"/kk/staff/sittings/{w.sitting.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "console:sitting_live": Entry(
        lambda w: f"/kk/staff/sittings/{w.sitting.pk}/live/",
        allow(**dict.fromkeys(COMMISSION, 200)),
    ),
    "console:examinee_action": Entry(
        lambda w: f"/kk/staff/examinees/{w.other_examinee.pk}/identify/",
        allow(secretary=302),
        "post",
    ),
    "console:examinee": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "console:examinee_extend": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/extend/",
        allow(secretary=302),
        "post",
        {"minutes": "10", "reason": "camera failed"},
    ),
    "console:examinee_reopen": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/reopen/",
        allow(secretary=302),
        "post",
        {"reason": "wrong page"},
    ),
    "grading:console": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "grading:examinee": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "grading:score": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/score/",
        allow(member=302, chair=302),
        "post",
        {"score": "80"},
    ),
    "grading:final": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/final/",
        allow(chair=302),
        "post",
        {"score": "80"},
    ),
    "grading:announce": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/announce/", allow(chair=302), "post"
    ),
    "grading:announce_time": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/announce-time/",
        allow(chair=302, secretary=302),
        "post",
        {"announce_at": "2030-01-01T10:00"},
    ),
    "grading:results": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/results/",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "grading:results_xlsx": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/results.xlsx",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "grading:commission_results": Entry(
        lambda w: f"/kk/grading/commissions/{w.commission.pk}/results/",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "audit:log": Entry(lambda w: "/kk/registrar/audit/", allow(registrar=200)),
    "imports:home": Entry(lambda w: "/kk/registrar/", allow(registrar=200)),
    "imports:upload": Entry(
        lambda w: "/kk/registrar/import/students/", allow(registrar=400), "post"
    ),
    "imports:template": Entry(
        lambda w: "/kk/registrar/templates/students.xlsx", allow(registrar=200)
    ),
    "imports:job": Entry(lambda w: f"/kk/registrar/imports/{_job().pk}/", allow(registrar=200)),
    "imports:job_status": Entry(
        lambda w: f"/kk/registrar/imports/{_job().pk}/status/", allow(registrar=200)
    ),
    "answers:student": Entry(lambda w: f"/kk/answers/{w.examinee.pk}/", allow(student=200)),
    # No PDF and no page exist in the drawn world: 404 for all; the access rules with real
    # files are tested in test_answers_api.
    "answers:pdf": Entry(lambda w: f"/kk/answers/{w.examinee.pk}/answer.pdf", allow()),
    "answers:page_image": Entry(lambda w: "/kk/answers/page/999999/", allow()),
    # The phone's link is the key: anyone holding it, signed in or not.
    "answers:phone": Entry(lambda w: f"/kk/answers/phone/{_phone_token(w)}/", allow(200, 200)),
    "answers:phone_page_image": Entry(
        lambda w: f"/kk/answers/phone/{_phone_token(w)}/page/999999/", allow(404, 404)
    ),
    "admin:index": Entry(lambda w: "/kk/admin/", allow(302, 302, registrar=200)),
}
# The Django admin's own URLs are guarded by `is_staff` as a whole; `admin:index` stands for them.
NOT_IN_MATRIX_NAMESPACES = {"admin"}

API: dict[tuple[str, str], Entry] = {
    ("GET", "/api/v1/me"): Entry(lambda w: "/api/v1/me", api(200)),
    ("GET", "/api/v1/me/schedule"): Entry(lambda w: "/api/v1/me/schedule", api(200)),
    ("GET", "/api/v1/sittings/{sitting_id}/examinees"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/examinees",
        api(**dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/identity"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/identity",
        api(secretary=200),
        "post",
        {"verified": True},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/admit"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/admit", api(secretary=409), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/absent"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/absent", api(secretary=200), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/rules"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/rules", api(other_student=200), "post"
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/entry"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/entry", api(student=200)
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/cards"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/cards", api(student=200)
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/draw"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/draw",
        api(student=200),
        "post",
        {"position": 1},
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/ticket"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/ticket",
        api(student=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/scores"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/scores",
        api(member=409, chair=409),
        "post",
        {"score": 80},
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/scores"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/scores", api(member=200, chair=200)
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/final"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/final", api(chair=409), "post", {"score": 80}
    ),
    ("POST", "/api/v1/sittings/{sitting_id}/announce"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/announce", api(chair=409), "post"
    ),
    ("POST", "/api/v1/sittings/{sitting_id}/announcement"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/announcement",
        api(chair=200, secretary=200),
        "post",
        {"announce_at": "2030-01-01T10:00:00+05:00"},
    ),
    # Nobody's result before the announcement, not even the student's own.
    ("GET", "/api/v1/examinees/{examinee_id}/result"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/result", api()
    ),
    ("GET", "/api/v1/sittings/{sitting_id}/protocol.pdf"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/protocol.pdf",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/sittings/{sitting_id}/protocol.docx"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/protocol.docx",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/pages"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages",
        api(student=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/pages"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages", api(student=400), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/pages/order"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages/order",
        api(student=200),
        "post",
        {"numbers": []},
    ),
    ("DELETE", "/api/v1/examinees/{examinee_id}/pages/{number}"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages/1", api(), "delete"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/pages/{number}/replace"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages/1/replace", api(student=400), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/submit"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/submit", api(student=409), "post"
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/receipt"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/receipt", api()
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/upload-links"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/upload-links", api(student=201), "post"
    ),
    ("DELETE", "/api/v1/examinees/{examinee_id}/upload-links"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/upload-links", api(student=200), "delete"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/upload-window"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/upload-window",
        api(secretary=200),
        "post",
        {"until": "2099-01-01T10:00:00+05:00", "reason": "camera failed"},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/reopen"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/reopen",
        api(secretary=409),
        "post",
        {"reason": "wrong page"},
    ),
    # The phone: the signed link stands for the student, with or without a sign-in.
    ("GET", "/api/v1/phone/{token}/pages"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages", allow(200, 200)
    ),
    ("POST", "/api/v1/phone/{token}/pages"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages", allow(400, 400), "post"
    ),
    ("POST", "/api/v1/phone/{token}/pages/order"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages/order",
        allow(200, 200),
        "post",
        {"numbers": []},
    ),
    ("DELETE", "/api/v1/phone/{token}/pages/{number}"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages/1", allow(404, 404), "delete"
    ),
    ("POST", "/api/v1/phone/{token}/pages/{number}/replace"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages/1/replace", allow(400, 400), "post"
    ),
}
# Sign-in itself takes no token; its answers are tested in test_api_me.
API_NOT_IN_MATRIX = {("POST", "/api/v1/auth/token")}


def page_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns == "api-1.0.0" or (p.namespace and p.namespace.startswith("api")):
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = p.name or "root"
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, None)
    return {n for n in names if n.split(":")[0] not in NOT_IN_MATRIX_NAMESPACES}


def api_routes() -> set[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return {
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    }


def test_every_url_is_in_the_matrix():
    assert page_routes() - set(PAGES) == set(), "pages missing from the permission matrix"
    assert set(PAGES) - page_routes() - {"admin:index"} == set(), "matrix names unknown pages"
    assert api_routes() - set(API) - API_NOT_IN_MATRIX == set(), "API routes missing"
    assert set(API) - api_routes() == set(), "matrix names unknown API routes"


@pytest.fixture
def drawn_world(world):
    """The student is admitted and has drawn; the other student still waits."""
    secretary = world.user("secretary")
    services.rules_acknowledge(examinee=world.examinee, actor=world.user("student"))
    services.examinee_identify(examinee=world.examinee, actor=secretary)
    services.examinee_admit(examinee=world.examinee, actor=secretary)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    return world


def check(client, world, entry: Entry, persona: str, headers: dict, json: bool):
    path = entry.url(world)
    if entry.method == "get":
        response = client.get(path, **headers)
    elif entry.method == "delete":
        response = client.delete(path, **headers)
    elif json:
        response = client.post(path, entry.data, content_type="application/json", **headers)
    else:
        response = client.post(path, entry.data, **headers)
    return response.status_code


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(name, drawn_world, client):
    entry = PAGES[name]
    seen = {}
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            if drawn_world.user(persona):
                client.force_login(drawn_world.user(persona))
            seen[persona] = check(client, drawn_world, entry, persona, {}, json=False)
            transaction.set_rollback(True)
    assert seen == entry.expect


@pytest.mark.parametrize("route", sorted(API), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_permissions(route, drawn_world, client, api_for):
    entry = API[route]
    seen = {}
    for persona in PERSONAS:
        with transaction.atomic():
            seen[persona] = check(client, drawn_world, entry, persona, api_for(persona), json=True)
            transaction.set_rollback(True)
    assert seen == entry.expect
