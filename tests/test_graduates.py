"""The commission's graduates (K-10, K-11) loaded from the database, over the API and on the
chair's page: outcomes, honours with reasons, and who may read them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attestation.commissions.models import Commission
from attestation.graduates.roster import commission_graduates
from tests.factories import CommissionFactory, ExamineeFactory, SittingFactory, StudentFactory
from tests.graduates_world import announce, grade, year_of
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db


def by_name(graduates):
    return {g.full_name: g for g in graduates}


def test_outcomes_and_honours_over_the_commission(world):
    year_of(world)
    graduates = by_name(commission_graduates(world.commission))
    alikhan = graduates["Абаев Әлихан"]
    assert alikhan.outcome == "passed" and alikhan.honours.eligible
    assert [a.score for a in alikhan.finals] == [96, 95]
    ulzhan = graduates["Үмбетова Ұлжан"]
    assert ulzhan.outcome == "passed" and not ulzhan.honours.eligible
    assert [r.code for r in ulzhan.honours.reasons] == ["below_c_plus", "gpa_low", "no_top_grade"]
    assert graduates["=Ерлан Қасымов"].outcome == "absent"


def test_a_failed_final_and_a_postponement(world):
    exam, defence, missing = year_of(world)
    grade(world.other_examinee, 40)  # FX
    grade(missing, None, "absent_valid")
    graduates = by_name(commission_graduates(world.commission))
    assert graduates["Үмбетова Ұлжан"].outcome == "failed"
    assert graduates["=Ерлан Қасымов"].outcome == "postponed"


def test_a_repeat_a_year_later_is_a_resit(world):
    """K-11: failed last year, passed this year with A: no honours, the reason says why."""
    year_of(world)
    last = CommissionFactory(code="world-sac-2025", year=world.commission.year - 1)
    old = SittingFactory(
        commission=last,
        code="old-exam",
        starts_at=world.sitting.starts_at.replace(year=world.sitting.starts_at.year - 1),
    )
    grade(ExamineeFactory(sitting=old, student=world.examinee.student, position=1), 30)
    announce(old)
    alikhan = by_name(commission_graduates(world.commission))["Абаев Әлихан"]
    assert alikhan.outcome == "passed"
    assert [r.code for r in alikhan.honours.reasons] == ["resit"]


def test_unannounced_finals_count_for_the_chair_not_for_the_orders(world):
    year_of(world, announced=False)
    assert by_name(commission_graduates(world.commission))["Абаев Әлихан"].outcome == "passed"
    official = by_name(commission_graduates(world.commission, announced_only=True))
    assert official["Абаев Әлихан"].outcome == "pending"


def test_the_loader_takes_two_queries_whatever_the_size(world):
    year_of(world)
    with CaptureQueriesContext(connection) as few:
        commission_graduates(world.commission)
    for n in range(10):
        student = StudentFactory(gpa=Decimal("3.9"))
        grade(ExamineeFactory(sitting=world.sitting, student=student, position=10 + n), 90)
    with CaptureQueriesContext(connection) as many:
        assert len(commission_graduates(world.commission)) == 13
    assert len(few) == len(many) == 2


# --- API -------------------------------------------------------------------------------------


def test_the_api_answers_the_contract_to_the_chair(world, client, api_for):
    exam, defence, _missing = year_of(world)
    response = client.get(
        f"/api/v1/commissions/{world.commission.pk}/graduates",
        HTTP_ACCEPT_LANGUAGE="en",
        **api_for("chair"),
    )
    assert response.status_code == 200
    rows = {r["full_name"]: r for r in response.json()}
    alikhan = rows["Абаев Әлихан"]
    assert set(alikhan) >= {
        "student_id",
        "full_name",
        "gpa",
        "finals",
        "outcome",
        "honours",
        "honours_reasons",
    }
    assert alikhan["student_id"] == world.examinee.student_id
    assert alikhan["gpa"] == 3.8 and alikhan["honours"] is True
    assert alikhan["honours_reasons"] == []
    assert alikhan["finals"] == [
        {
            "sitting_id": exam.pk,
            "kind": "written_exam",
            "score": 96,
            "letter": "A",
            "points": 4.0,
            "announced": True,
        },
        {
            "sitting_id": defence.pk,
            "kind": "defense",
            "score": 95,
            "letter": "A",
            "points": 4.0,
            "announced": True,
        },
    ]
    ulzhan = rows["Үмбетова Ұлжан"]
    assert ulzhan["honours"] is False and ulzhan["outcome"] == "passed"
    assert any("below C+ (2.33)" in r for r in ulzhan["honours_reasons"])
    assert "GPA 3.20 < 3.5." in ulzhan["honours_reasons"]
    assert rows["=Ерлан Қасымов"]["outcome"] == "absent"


def test_the_reasons_come_in_the_callers_language(world, client, api_for):
    year_of(world)
    response = client.get(
        f"/api/v1/commissions/{world.commission.pk}/graduates",
        HTTP_ACCEPT_LANGUAGE="ru",
        **api_for("registrar"),
    )
    ulzhan = next(r for r in response.json() if r["full_name"] == "Үмбетова Ұлжан")
    assert "GPA 3,20 < 3,5." in ulzhan["honours_reasons"]
    assert any("оценка ниже C+" in r for r in ulzhan["honours_reasons"])


def test_only_the_chair_and_the_registrar_read_the_graduates(world, client, api_for):
    year_of(world)
    seen = {}
    for persona in PERSONAS:
        response = client.get(
            f"/api/v1/commissions/{world.commission.pk}/graduates", **api_for(persona)
        )
        seen[persona] = response.status_code
        if response.status_code == 404:
            assert response.json()["code"] == "not_found"
    assert {p for p, status in seen.items() if status == 200} == {"chair", "registrar"}
    assert seen["anonymous"] == 401
    appeal = CommissionFactory(code="world-appeal-g", kind=Commission.Kind.APPEAL)
    for target in (appeal.pk, 999_999, world.other_commission.pk):
        response = client.get(f"/api/v1/commissions/{target}/graduates", **api_for("chair"))
        assert response.status_code == 404


# --- The chair's page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "en",
            ["Graduates", "with honours", "GPA 3.20 &lt; 3.5.", "absent without a valid reason"],
        ),
        (
            "ru",
            ["Выпускники", "с отличием", "GPA 3,20 &lt; 3,5.", "неявка без уважительной причины"],
        ),
        ("kk", ["Түлектер", "үздік", "GPA 3,20 &lt; 3,5.", "дәлелді себепсіз қатыспады"]),
    ],
)
def test_the_chair_sees_gpa_honours_and_reasons(world, client_for, language, facts):
    year_of(world)
    page = client_for(world.user("chair")).get(
        f"/{language}/graduates/commissions/{world.commission.pk}/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    for fact in [*facts, "Абаев Әлихан", "3,80" if language != "en" else "3.80"]:
        assert fact in html, fact
    assert 'data-honours="yes"' in html and 'data-honours="no"' in html
    assert "studies-end.xlsx" not in html  # the registrar's lists are the registrar's


def test_the_page_has_a_clear_empty_state(world, client_for):
    empty = CommissionFactory(code="world-empty")
    from attestation.commissions.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(commission=empty, user=world.user("chair"), role=Membership.Role.CHAIR)
    html = client_for(world.user("chair")).get(f"/en/graduates/commissions/{empty.pk}/")
    assert "No graduates yet" in html.content.decode()


def test_the_chair_reaches_the_graduates_from_the_protocols_and_the_console(world, client_for):
    client = client_for(world.user("chair"))
    target = f"/en/graduates/commissions/{world.commission.pk}/"
    assert target in client.get(f"/en/records/sittings/{world.sitting.pk}/").content.decode()
    assert target in client.get(f"/en/staff/sittings/{world.sitting.pk}/").content.decode()
    member = client_for(world.user("member"))
    assert target not in member.get(f"/en/records/sittings/{world.sitting.pk}/").content.decode()


def test_the_registrar_finds_the_lists_from_the_menu(world, client_for):
    client = client_for(world.user("registrar"))
    assert "/en/graduates/" in client.get("/en/registrar/").content.decode()
    index = client.get("/en/graduates/").content.decode()
    assert f"/en/graduates/commissions/{world.commission.pk}/studies-end.xlsx" in index
    assert f"/en/graduates/commissions/{world.commission.pk}/awarded.xlsx" in index
