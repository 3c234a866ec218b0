"""Live queue messages that say what is going on and who must act, counters that add up, and
the ticket where the commission and the student need it (issue: live queue messages)."""

import re

import pytest
from django.contrib.messages import get_messages

from attestation.commissions.models import Examinee, Sitting
from attestation.live.services import queue_call_next
from attestation.tickets.models import Draw
from tests.factories import ExamineeFactory, StudentFactory, UserFactory
from tests.live_helpers import defense_ready, make_form, oral_ready

pytestmark = pytest.mark.django_db
S = Examinee.Status


def waiting_examinees(world, count, start=20):
    return [
        ExamineeFactory(
            sitting=world.sitting,
            student=StudentFactory(user=UserFactory(username=f"wait{start + i}")),
            position=start + i,
        )
        for i in range(count)
    ]


def call_next(client, sitting, current=None):
    response = client.post(
        f"/en/live/sittings/{sitting.pk}/next/",
        {"expected_current_id": current.pk if current else ""},
    )
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_nobody_ready_says_the_secretary_must_admit_first(world, client_for):
    sitting = make_form(world, Sitting.Form.DEFENSE)
    texts = call_next(client_for(world.user("chair")), sitting)
    assert any("technical secretary must check their identity and admit" in t for t in texts)
    assert any("2 examinees are not ready yet" in t for t in texts)


def test_not_the_last_when_others_are_still_waiting(world, client_for):
    sitting = oral_ready(world)
    waiting_examinees(world, 5)
    client = client_for(world.user("chair"))
    first = queue_call_next(sitting=sitting, actor=world.user("chair"))
    second = queue_call_next(
        sitting=sitting, actor=world.user("chair"), expected_current_id=first.pk
    )
    texts = call_next(client, sitting, second)
    assert not any("last examinee" in t for t in texts)
    assert any("5 examinees are not ready yet" in t for t in texts)


def test_an_admitted_defence_student_is_not_told_to_follow_a_missing_link(world, client_for):
    defense_ready(world)
    Sitting.objects.filter(pk=world.sitting.pk).update(conference_url="")
    html = client_for(world.user("student")).get(f"/en/exam/{world.examinee.pk}/").content.decode()
    assert "Follow the link" not in html
    assert "follow your turn below" in html


def test_countdowns_say_what_the_end_means_instead_of_zero(world, client_for):
    sitting = oral_ready(world, minutes_ago=5)
    chair = client_for(world.user("chair")).get(f"/en/live/sittings/{sitting.pk}/live/")
    assert (
        'data-over-text="Questioning has begun: call the next examinee."' in chair.content.decode()
    )
    student = client_for(world.user("student")).get(f"/en/live/me/{world.examinee.pk}/")
    assert "wait until the commission calls you" in student.content.decode()


COUNTER = re.compile(r'data-count="(\w+)"><span class="stat">(\d+)</span><span>([^<]+)')


def counters(html):
    return {key: (int(n), label) for key, n, label in COUNTER.findall(html)}


def test_console_counters_add_up_with_words_for_the_form(world, client_for):
    sitting = oral_ready(world)
    extra = waiting_examinees(world, 3)
    Examinee.objects.filter(pk=extra[0].pk).update(status=S.ABSENT_VALID)
    Examinee.objects.filter(pk=extra[1].pk).update(status=S.ANSWERING)
    html = client_for(world.user("secretary")).get(f"/en/staff/sittings/{sitting.pk}/")
    found = counters(html.content.decode())
    assert sum(n for n, _ in found.values()) == 5  # everyone in the list, once
    assert found["absent"][0] == 1 and found["answering"][0] == 1
    assert found["drawn"] == (2, "preparing")  # an oral examinee with a ticket is not "writing"


def test_a_defence_console_has_no_ticket_widgets(world, client_for):
    sitting = defense_ready(world)
    html = client_for(world.user("secretary")).get(f"/en/staff/sittings/{sitting.pk}/")
    html = html.content.decode()
    assert "Latest ticket drawn" not in html and "<th>Ticket</th>" not in html
    assert "drawn" not in counters(html)


def test_the_oral_ticket_page_shows_the_turn(world, client_for):
    oral_ready(world)
    html = client_for(world.user("student")).get(f"/en/exam/{world.examinee.pk}/ticket/")
    assert 'id="live-turn"' in html.content.decode()


def test_the_answering_now_panel_shows_the_ticket(world, client_for):
    sitting = oral_ready(world)
    called = queue_call_next(sitting=sitting, actor=world.user("chair"))
    draw = Draw.objects.get(examinee=called)
    html = client_for(world.user("chair")).get(f"/en/live/sittings/{sitting.pk}/live/")
    html = html.content.decode()
    panel = html[html.index("data-current-ticket") :]
    assert f"Ticket № {draw.ticket.number}" in panel[:400]
    assert draw.ticket.questions.first().text in panel
