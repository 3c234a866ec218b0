"""Blind scoring everywhere (CONTRACT.md, "The official record"): a member who has not scored
an examinee sees no other score and no final for them — in the console, the examinee's page,
the API, the protocol list's documents — and sees both once their own score is in."""

import pytest

from attestation.accounts.services import api_token_issue
from attestation.grading import services
from attestation.records.models import Protocol
from attestation.records.services import protocols_ensure
from tests.test_grading_console import console_url, row_html, shows
from tests.test_grading_world import admit, make_oral, second_member
from tests.test_records_api import flat, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def finals(world):
    """member2 and the chair scored; the chair set the final (77); `member` has not scored."""
    make_oral(world)
    admit(world, world.examinee)
    member2 = second_member(world)
    services.score_set(examinee=world.examinee, member=member2, score=93)
    services.score_set(examinee=world.examinee, member=world.user("chair"), score=71)
    services.final_set(examinee=world.examinee, actor=world.user("chair"), score=77)
    return world


def test_pages_and_api_hide_scores_and_the_final_until_the_members_own_score(
    finals, client, client_for
):
    world = finals
    member = world.user("member")
    pages = client_for(member)
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=member)}"}

    def seen():
        row = row_html(pages.get(console_url(world)).content.decode(), world.examinee)
        page = pages.get(f"/en/grading/examinees/{world.examinee.pk}/").content.decode()
        api = client.get(f"/api/v1/examinees/{world.examinee.pk}/scores", **token).json()
        return row, page, api

    row, page, api = seen()
    for html in (row, page):
        assert "data-final" not in html and not shows(html, 93) and not shows(html, 71)
    assert api["final_score"] is None and api["scores"] == [] and api["mean"] is None
    services.score_set(examinee=world.examinee, member=member, score=80)
    row, page, api = seen()
    for html in (row, page):
        assert "data-final" in html and shows(html, 93) and shows(html, 71)
    assert api["final_score"] == 77 and len(api["scores"]) == 3


def test_a_draft_examinee_protocol_hides_the_final_from_a_member_who_has_not_scored(finals, client):
    world = finals
    protocols_ensure(sitting=world.sitting)
    protocol = Protocol.objects.get(kind="examinee", examinee=world.examinee)
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=world.user('member'))}"}
    url = f"/api/v1/protocols/{protocol.pk}.pdf"
    before = flat(pdftotext(client.get(url, **token).content))
    assert "Абаев" in before and "77" not in before
    services.score_set(examinee=world.examinee, member=world.user("member"), score=80)
    after = flat(pdftotext(client.get(url, **token).content))
    assert "77" in after
