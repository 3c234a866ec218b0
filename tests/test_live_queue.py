"""The live queue (R-13.1, R-24.1): questioning time, calling by the list, the API."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.live.queue import questioning_start, queue_items
from attestation.live.services import questioning_finish, queue_call_next
from attestation.tickets.models import Draw
from tests.live_helpers import defense_ready, draws_ago, make_form, oral_ready
from tests.test_grading_world import add_oral_examinees, admit

pytestmark = pytest.mark.django_db
S = Examinee.Status


def test_questioning_begins_30_minutes_after_the_last_draw_and_moves_with_a_late_draw(world):
    sitting = make_form(world, Sitting.Form.ORAL_EXAM)
    assert questioning_start(sitting).at is None
    admit(world, world.examinee)
    admit(world, world.other_examinee, draw=False)
    first = Draw.objects.get(examinee=world.examinee).drawn_at
    start = questioning_start(sitting)
    assert start.at == first + timedelta(minutes=30)
    assert start.provisional  # the other examinee is admitted and has not drawn
    from attestation.tickets.services import ticket_draw

    ticket_draw(examinee=world.other_examinee, position=1, actor=world.user("other_student"))
    late = Draw.objects.get(examinee=world.other_examinee).drawn_at
    start = questioning_start(sitting)
    assert start.at == late + timedelta(minutes=30) and not start.provisional


def test_call_next_before_questioning_begins_is_refused(world):
    sitting = oral_ready(world, minutes_ago=5)
    with pytest.raises(DomainError) as refused:
        queue_call_next(sitting=sitting, actor=world.user("secretary"))
    assert refused.value.code == "too_early"


def test_queue_follows_the_list_and_finishes_the_previous(world):
    sitting = oral_ready(world)
    secretary = world.user("secretary")
    first = queue_call_next(sitting=sitting, actor=secretary)
    assert first == world.examinee
    first.refresh_from_db()
    assert first.status == S.ANSWERING and first.questioning_started_at
    second = queue_call_next(sitting=sitting, actor=secretary, expected_current_id=first.pk)
    first.refresh_from_db()
    assert second == world.other_examinee
    assert first.status == S.DONE and first.questioning_ended_at
    assert queue_call_next(sitting=sitting, actor=secretary, expected_current_id=second.pk) is None
    second.refresh_from_db()
    assert second.status == S.DONE
    with pytest.raises(DomainError) as empty:
        queue_call_next(sitting=sitting, actor=secretary)
    assert empty.value.code == "queue_empty"


def test_a_stale_click_does_not_finish_the_examinee_just_called(world):
    sitting = oral_ready(world)
    queue_call_next(sitting=sitting, actor=world.user("chair"))
    with pytest.raises(DomainError) as moved:
        queue_call_next(sitting=sitting, actor=world.user("secretary"))  # saw no one answering
    assert moved.value.code == "queue_moved"
    world.examinee.refresh_from_db()
    assert world.examinee.status == S.ANSWERING


def test_a_member_cannot_run_the_queue(world):
    sitting = oral_ready(world)
    with pytest.raises(DomainError) as refused:
        queue_call_next(sitting=sitting, actor=world.user("member"))
    assert refused.value.status == 403


def test_written_sitting_has_no_queue(world, api_for, client):
    with pytest.raises(DomainError) as refused:
        queue_call_next(sitting=world.sitting, actor=world.user("secretary"))
    assert refused.value.code == "no_queue"
    url = f"/api/v1/sittings/{world.sitting.pk}/queue"
    assert client.get(url, **api_for("secretary")).status_code == 404


def test_defence_slots_run_from_the_start_in_list_order(world):
    starts = timezone.now() + timedelta(hours=2)
    sitting = defense_ready(world, starts_at=starts)
    items = queue_items(sitting)
    assert [i.starts_at for i in items] == [starts, starts + timedelta(minutes=15)]
    called = queue_call_next(sitting=sitting, actor=world.user("secretary"))
    assert called == world.examinee  # defences are called once admitted, no draw


def test_finish_without_calling_the_next(world):
    sitting = oral_ready(world)
    first = queue_call_next(sitting=sitting, actor=world.user("secretary"))
    questioning_finish(examinee=first, actor=world.user("secretary"))
    first.refresh_from_db()
    world.other_examinee.refresh_from_db()
    assert first.status == S.DONE and world.other_examinee.status == S.DRAWN


def test_queue_api_for_the_commission_and_for_a_student(world, api_for, client):
    sitting = oral_ready(world)
    queue_call_next(sitting=sitting, actor=world.user("secretary"))
    url = f"/api/v1/sittings/{sitting.pk}/queue"
    staff = client.get(url, **api_for("member")).json()
    assert staff["current"]["examinee_id"] == world.examinee.pk
    assert [i["examinee_id"] for i in staff["items"]] == [
        world.examinee.pk,
        world.other_examinee.pk,
    ]
    assert staff["questioning_starts_at"]
    mine = client.get(url, **api_for("other_student")).json()
    assert mine["current"] == {
        "is_me": False,
        "examinee_id": None,
        "full_name": None,
        "started_at": None,
    }
    assert [i["examinee_id"] for i in mine["items"]] == [world.other_examinee.pk]
    assert "full_name" not in str(mine["items"]) or mine["items"][0]["full_name"] is None
    assert client.get(url, **api_for("student")).json()["current"]["is_me"] is True
    for persona in ("outsider", "registrar"):
        assert client.get(url, **api_for(persona)).status_code == 404
    assert client.get(url).status_code == 401


def test_call_next_api(world, api_for, client):
    sitting = oral_ready(world)
    url = f"/api/v1/sittings/{sitting.pk}/queue/next"
    ok = client.post(url, {}, content_type="application/json", **api_for("secretary"))
    assert ok.status_code == 200 and ok.json() == {"examinee_id": world.examinee.pk}
    stale = client.post(url, {}, content_type="application/json", **api_for("secretary"))
    assert stale.status_code == 409 and stale.json()["code"] == "queue_moved"
    member = client.post(
        url,
        {"expected_current_id": world.examinee.pk},
        content_type="application/json",
        **api_for("member"),
    )
    assert member.status_code == 403
    outsider = client.post(url, {}, content_type="application/json", **api_for("outsider"))
    assert outsider.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_call_next_clicks_call_exactly_one(world):
    sitting = make_form(world, Sitting.Form.ORAL_EXAM)
    examinees = [*add_oral_examinees(world, 4)]
    from attestation.tickets.services import ticket_draw

    for e in examinees:
        ticket_draw(examinee=e, position=1, actor=e.student.user)
    draws_ago(sitting, 40)
    barrier = threading.Barrier(2)
    results: list = []

    def click(user):
        try:
            barrier.wait()
            results.append(queue_call_next(sitting=sitting, actor=user))
        except DomainError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=click, args=(world.user(p),)) for p in ("secretary", "chair")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    called = [r for r in results if isinstance(r, Examinee)]
    assert len(called) == 1 and results.count("queue_moved") == 1
    assert called[0].pk == examinees[0].pk
    statuses = dict(Examinee.objects.filter(sitting=sitting).values_list("pk", "status"))
    assert statuses[examinees[0].pk] == S.ANSWERING
    assert list(statuses.values()).count(S.DONE) == 0
