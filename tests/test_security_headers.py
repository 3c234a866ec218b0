"""Security headers on every page of the permission matrix, opened by each persona allowed to
open it: a Content-Security-Policy with no inline script allowed, and pages that carry no
inline script or inline handler; the camera only where the self-check and the exam room need
it; uploaded files served sandboxed."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from attestation.commissions import services
from attestation.core.headers import CAMERA, NO_DEVICES
from attestation.tickets.services import ticket_draw
from tests import test_permission_matrix as matrix
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

CAMERA_PAGES = {"cabinet:exam_room", "cabinet:exam_ticket", "proctoring:self_check"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def drawn_world(world):
    secretary = world.user("secretary")
    services.rules_acknowledge(examinee=world.examinee, actor=world.user("student"))
    services.examinee_identify(examinee=world.examinee, actor=secretary)
    services.examinee_admit(examinee=world.examinee, actor=secretary)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    return world


def directives(header: str) -> dict[str, str]:
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part)


def test_every_page_has_the_policy_and_no_inline_script(drawn_world, client):
    seen = 0
    for name, entry in sorted(matrix.PAGES.items()):
        if entry.method != "get":
            continue
        for persona in PERSONAS:
            if entry.expect.get(persona) != 200:
                continue
            with transaction.atomic():
                client.logout()
                if drawn_world.user(persona):
                    client.force_login(drawn_world.user(persona))
                response = client.get(entry.url(drawn_world))
                transaction.set_rollback(True)
            assert response.status_code == 200, (name, persona)
            policy = response["Content-Security-Policy"]
            if response.streaming:  # an uploaded file
                assert policy == "sandbox", name
                continue
            rules = directives(policy)
            assert rules["script-src"] == "'self'", name
            assert rules["object-src"] == "'none'" and rules["frame-ancestors"] == "'none'"
            expected = CAMERA if name in CAMERA_PAGES else NO_DEVICES
            assert response["Permissions-Policy"] == expected, (name, persona)
            if response["Content-Type"].startswith("text/html"):
                html = response.content.decode()
                assert not INLINE_SCRIPT.search(html), (name, INLINE_SCRIPT.search(html))
                assert not INLINE_HANDLER.search(html), (name, INLINE_HANDLER.search(html))
                assert "[!(document" not in html, name  # an hx-trigger filter needs eval
            seen += 1
    assert seen > 60


def test_api_answers_carry_the_policy_too(world, client, api_for):
    response = client.get("/api/v1/me", **api_for("student"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == NO_DEVICES


def test_uploaded_pdfs_are_sandboxed(world, client_for):
    from attestation.defense.models import Thesis

    thesis = Thesis(examinee=world.examinee, sha256="0" * 64, pages=1)
    thesis.pdf.save("t.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    thesis.save()
    client = client_for(world.user("secretary"))
    for name, entry in matrix.PAGES.items():
        if "thesis" in name and entry.method == "get":
            response = client.get(entry.url(world))
            if response.status_code == 200:
                assert response["Content-Security-Policy"] == "sandbox"
                return
    pytest.fail("no thesis download page in the matrix")
