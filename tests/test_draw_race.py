"""Races on a real database (a SQLite file, or PostgreSQL in CI): double clicks, two tabs and
many students at once never give two tickets, never lose a draw, never break no-repeat."""

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from attestation.commissions.models import Examinee
from attestation.tickets.models import Draw
from attestation.tickets.services import ticket_draw
from tests.factories import ExamineeFactory, TicketFactory
from tests.personas import admit

pytestmark = pytest.mark.django_db(transaction=True)


def run_threads(target, args_list):
    barrier = threading.Barrier(len(args_list))
    results, errors = [None] * len(args_list), []

    def worker(i, args):
        try:
            barrier.wait()
            results[i] = target(*args)
        except Exception as exc:  # recorded and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(args_list)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    return results, errors


def test_double_click_and_two_tabs_give_one_ticket(world):
    examinee = admit(world)
    user = examinee.student.user
    results, errors = run_threads(
        lambda pos: ticket_draw(examinee=examinee, position=pos, actor=user),
        [(1,), (2,), (3,), (4,)],
    )
    assert errors == []
    assert Draw.objects.filter(examinee=examinee).count() == 1
    assert [created for _, created in results].count(True) == 1
    assert len({draw.ticket_id for draw, _ in results}) == 1


@pytest.mark.parametrize("read", ["after admission", "before admission"])
def test_a_crowd_drawing_at_once_never_repeats_within_a_round(world, read):
    """Read after admission, the examinees take the one-statement draw on PostgreSQL
    (tickets/pg_draw.py); read before, the general one (tickets/services.py)."""
    for number in range(6, 13):
        TicketFactory(bank=world.sitting.ticket_bank, number=number)  # 12 tickets
    crowd = [world.examinee, world.other_examinee] + [
        ExamineeFactory(sitting=world.sitting, position=n) for n in range(3, 25)
    ]  # 24 students: exactly two rounds of 12
    fresh = [admit(world, examinee) for examinee in crowd]
    if read == "after admission":
        crowd = fresh
    results, errors = run_threads(
        lambda e: ticket_draw(examinee=e, position=1, actor=e.student.user), [(e,) for e in crowd]
    )
    assert errors == []
    assert Draw.objects.filter(sitting=world.sitting).count() == 24
    uses = Counter(Draw.objects.filter(sitting=world.sitting).values_list("ticket_id", flat=True))
    assert sorted(uses.values()) == [2] * 12
    assert Examinee.objects.filter(sitting=world.sitting, status="drawn").count() == 24
