"""K-12: the chair approving an absence application sets the second sitting right there — by
its date and time (an existing sitting of the commission and form at that moment, else a new
one) or by choosing an existing later sitting; within a year at most, else 422 and nothing
stored. Services, API and the chair's page, with time frozen."""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.utils import timezone

from attestation.applications import services
from attestation.applications.models import Application
from attestation.audit.models import AuditEntry
from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from tests.applications_world import absent, next_sitting

pytestmark = pytest.mark.django_db
A, S = Application, Examinee.Status
URL = "/api/v1/applications"


@pytest.fixture
def filed(world):
    """The student was absent and applied; the clock stops an hour after the sitting began."""
    absent(world)
    application = services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="absence",
        reason="illness",
        text="Ауырып қалдым, анықтама қоса беріледі.",
    )
    with time_machine.travel(world.sitting.starts_at + timedelta(hours=1), tick=False):
        yield application


def approve(world, application, **kw):
    return services.absence_decide(
        application=application,
        actor=kw.pop("actor", world.user("chair")),
        approve=True,
        reason="Анықтама бар",
        **kw,
    )


def assert_nothing_stored(world, application, sittings_before):
    application.refresh_from_db()
    assert application.status == A.Status.SUBMITTED and application.new_sitting_id is None
    assert Sitting.objects.count() == sittings_before
    assert Examinee.objects.get(pk=world.examinee.pk).status == S.ABSENT
    assert not Examinee.objects.filter(student=world.examinee.student).exclude(pk=world.examinee.pk)
    assert not AuditEntry.objects.filter(action__in=["application.approve", "sitting.second"])


def test_the_chair_sets_the_second_sitting_when_approving(world, filed):
    when = world.sitting.starts_at + timedelta(days=10)
    decided = approve(world, filed, new_sitting_starts_at=when)
    second = decided.new_sitting
    assert second.starts_at == when and second.second_of == world.sitting
    assert (second.commission, second.form, second.title, second.ticket_bank) == (
        world.commission,
        world.sitting.form,
        world.sitting.title,
        world.sitting.ticket_bank,
    )
    moved = Examinee.objects.get(pk=world.examinee.pk).moved_to
    assert moved.sitting == second and moved.status == S.WAITING
    assert AuditEntry.objects.filter(action="sitting.second").count() == 1


def test_a_sitting_already_at_that_time_is_used(world, filed):
    existing = next_sitting(world, days=5)
    before = Sitting.objects.count()
    decided = approve(world, filed, new_sitting_starts_at=existing.starts_at)
    assert decided.new_sitting == existing and Sitting.objects.count() == before


def test_a_sitting_of_another_form_at_that_time_is_not_used(world, filed):
    oral = next_sitting(world, days=5, form=Sitting.Form.ORAL_EXAM)
    decided = approve(world, filed, new_sitting_starts_at=oral.starts_at)
    assert decided.new_sitting != oral and decided.new_sitting.form == world.sitting.form


@pytest.mark.parametrize(
    "offset,code",
    [
        (timedelta(days=367), "out_of_range"),  # beyond a year
        (timedelta(days=-1), "invalid"),  # before the original
        (timedelta(minutes=30), "invalid"),  # after the original, but in the past now
    ],
    ids=["beyond-a-year", "before-the-sitting", "in-the-past"],
)
def test_a_start_outside_a_year_after_the_sitting_is_refused(world, filed, offset, code):
    before = Sitting.objects.count()
    with pytest.raises(DomainError) as refused:
        approve(world, filed, new_sitting_starts_at=world.sitting.starts_at + offset)
    assert (refused.value.status, refused.value.code) == (422, code)
    assert_nothing_stored(world, filed, before)


def test_a_year_to_the_day_is_still_accepted(world, filed):
    local = timezone.localtime(world.sitting.starts_at)
    year_later = local.replace(year=local.year + 1)
    assert approve(world, filed, new_sitting_starts_at=year_later).new_sitting.starts_at == (
        year_later
    )


def test_a_sitting_and_a_date_together_are_refused(world, filed):
    existing = next_sitting(world, days=5)
    before = Sitting.objects.count()
    with pytest.raises(DomainError) as refused:
        approve(
            world,
            filed,
            new_sitting=existing,
            new_sitting_starts_at=existing.starts_at + timedelta(days=1),
        )
    assert refused.value.status == 422
    assert_nothing_stored(world, filed, before)


def test_a_rejection_ignores_the_date(world, filed):
    before = Sitting.objects.count()
    decided = services.absence_decide(
        application=filed,
        actor=world.user("chair"),
        approve=False,
        reason="Анықтама жоқ",
        new_sitting_starts_at=world.sitting.starts_at + timedelta(days=3),
    )
    assert decided.status == A.Status.REJECTED and Sitting.objects.count() == before


# --- API -------------------------------------------------------------------------------------


def decide(client, api_for, pk, body, language="en"):
    return client.post(
        f"{URL}/{pk}/decision",
        {"approve": True, "reason": "Анықтама бар", **body},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        **api_for("chair"),
    )


def test_api_approval_with_a_start_and_the_new_sitting_id_read_back(world, filed, client, api_for):
    when = timezone.localtime(world.sitting.starts_at + timedelta(days=7))
    response = decide(client, api_for, filed.pk, {"new_sitting_starts_at": when.isoformat()})
    assert response.status_code == 200, response.content
    second = Sitting.objects.get(second_of=world.sitting)
    assert response.json()["new_sitting_id"] == second.pk and second.starts_at == when
    seen = client.get(f"{URL}/{filed.pk}", **api_for("student")).json()
    assert (seen["status"], seen["new_sitting_id"]) == ("approved", second.pk)


def test_api_start_in_utc_is_the_same_moment(world, filed, client, api_for):
    when = (world.sitting.starts_at + timedelta(days=2)).astimezone(UTC)
    response = decide(client, api_for, filed.pk, {"new_sitting_starts_at": when.isoformat()})
    assert response.status_code == 200, response.content
    assert Sitting.objects.get(pk=response.json()["new_sitting_id"]).starts_at == when


@pytest.mark.parametrize(
    "language,words", [("en", "between"), ("ru", "допустимо только с"), ("kk", "аралығында")]
)
def test_api_start_beyond_a_year_is_422_translated_and_nothing_stored(
    world, filed, client, api_for, language, words
):
    before = Sitting.objects.count()
    when = (world.sitting.starts_at + timedelta(days=400)).isoformat()
    response = decide(client, api_for, filed.pk, {"new_sitting_starts_at": when}, language)
    assert response.status_code == 422
    assert response.json()["code"] == "out_of_range" and words in response.json()["detail"]
    assert_nothing_stored(world, filed, before)


@pytest.mark.parametrize(
    "value", ["2026-12-02T10:00:00", "not a date", "9999-12-31T23:59:59-12:00", 12]
)
def test_api_start_without_offset_or_nonsense_is_422(world, filed, client, api_for, value):
    before = Sitting.objects.count()
    response = decide(client, api_for, filed.pk, {"new_sitting_starts_at": value})
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert_nothing_stored(world, filed, before)


# --- The chair's page ------------------------------------------------------------------------


def test_the_chair_page_offers_later_sittings_and_a_24_hour_date_time(world, filed, client_for):
    later = next_sitting(world, days=3)
    html = client_for(world.user("chair")).get(f"/en/applications/{filed.pk}/").content.decode()
    assert f'<option value="{later.pk}" selected>' in html
    assert 'name="new_sitting_starts_at_date"' in html and 'placeholder="dd.mm.yyyy"' in html
    assert 'name="new_sitting_starts_at_time"' in html and 'placeholder="hh:mm"' in html
    assert (
        '<label for="id_new_sitting_starts_at_0">' in html
        and 'id="id_new_sitting_starts_at_0"' in html
    )


def test_the_chair_sets_the_date_on_the_page(world, filed, client_for):
    when = timezone.localtime(world.sitting.starts_at + timedelta(days=4)).replace(
        hour=15, minute=30, second=0, microsecond=0
    )
    page = client_for(world.user("chair")).post(
        f"/en/applications/{filed.pk}/decide/",
        {
            "decision": "approve",
            "reason": "Анықтама бар",
            "new_sitting": "",
            "new_sitting_starts_at_date": when.strftime("%d.%m.%Y"),
            "new_sitting_starts_at_time": "15:30",
        },
        follow=True,
    )
    assert "The decision is recorded." in page.content.decode()
    filed.refresh_from_db()
    assert filed.new_sitting.starts_at == when and filed.new_sitting.second_of == world.sitting


@pytest.mark.parametrize("date,time", [("31.02.2027", "10:00"), ("01.01.2000", "10:00")])
def test_a_bad_date_on_the_page_stores_nothing(world, filed, client_for, date, time):
    later = next_sitting(world, days=3)
    before = Sitting.objects.count()
    page = client_for(world.user("chair")).post(
        f"/en/applications/{filed.pk}/decide/",
        {
            "decision": "approve",
            "reason": "Анықтама бар",
            "new_sitting": later.pk,
            "new_sitting_starts_at_date": date,
            "new_sitting_starts_at_time": time,
        },
        follow=True,
    )
    assert page.status_code == 200
    assert "The decision is recorded." not in page.content.decode()
    assert_nothing_stored(world, filed, before)


def test_a_rejection_on_the_page_does_not_read_the_date_boxes(world, filed, client_for):
    page = client_for(world.user("chair")).post(
        f"/en/applications/{filed.pk}/decide/",
        {"decision": "reject", "reason": "Анықтама жоқ", "new_sitting_starts_at_date": "xx"},
        follow=True,
    )
    assert "The decision is recorded." in page.content.decode()
    filed.refresh_from_db()
    assert filed.status == A.Status.REJECTED and filed.new_sitting is None
