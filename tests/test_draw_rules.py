"""The draw's rules whichever way it runs: on PostgreSQL an examinee read as admitted takes the
one-statement draw (tickets/pg_draw.py), anyone else the general one (tickets/services.py);
SQLite always the general one. Each rule is checked for both readings."""

import pytest

from attestation.audit.models import AuditEntry
from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.tickets.models import Draw
from attestation.tickets.services import cards_count, ticket_draw
from tests.factories import ExamineeFactory
from tests.personas import admit

pytestmark = pytest.mark.django_db

READS = ["after admission", "before admission"]


def admitted(world, examinee, read):
    """Admit through the services; return the examinee as the caller read it."""
    before = Examinee.objects.get(pk=examinee.pk)
    after = admit(world, examinee)
    return after if read == "after admission" else before


@pytest.mark.parametrize("read", READS)
def test_the_draw_is_audited_with_its_ticket_card_and_round(world, read):
    examinee = admitted(world, world.examinee, read)
    student = examinee.student.user
    draw, created = ticket_draw(examinee=examinee, position=4, actor=student)
    assert created
    stored = Draw.objects.select_related("ticket").get(examinee=world.examinee)
    assert (stored.pk, stored.ticket.number, stored.round, stored.card_position) == (
        draw.pk,
        draw.ticket.number,
        0,
        4,
    )
    assert Examinee.objects.get(pk=world.examinee.pk).status == "drawn"
    entry = AuditEntry.objects.get(action="ticket.draw")
    assert (entry.actor, entry.from_state, entry.to_state) == (student, "admitted", "drawn")
    assert (entry.target_type, entry.target_id) == ("commissions.examinee", str(examinee.pk))
    assert entry.target_repr == str(world.examinee)
    assert entry.data == {"ticket": stored.ticket.number, "card": 4, "round": 0}


@pytest.mark.parametrize("read", READS)
def test_no_ticket_repeats_until_the_bank_is_used_up(world, read):
    crowd = [world.examinee, world.other_examinee] + [
        ExamineeFactory(sitting=world.sitting, position=n) for n in range(3, 13)
    ]
    numbers, rounds = [], []
    for examinee in crowd:
        examinee = admitted(world, examinee, read)
        draw, _ = ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
        numbers.append(draw.ticket.number)
        rounds.append(draw.round)
    # 5 tickets, 12 students: rounds of 5 distinct tickets, then 2 more.
    assert sorted(numbers[:5]) == [1, 2, 3, 4, 5]
    assert sorted(numbers[5:10]) == [1, 2, 3, 4, 5]
    assert len(set(numbers[10:])) == 2
    assert rounds == [0] * 5 + [1] * 5 + [2] * 2


@pytest.mark.parametrize("read", READS)
def test_where_tickets_may_repeat_every_ticket_stays_on_offer(world, read):
    Sitting.objects.filter(pk=world.sitting.pk).update(tickets_may_repeat=True)
    crowd = [world.examinee, world.other_examinee] + [
        ExamineeFactory(sitting=world.sitting, position=n) for n in range(3, 31)
    ]
    for examinee in crowd:
        examinee = admitted(world, examinee, read)
        examinee.sitting.refresh_from_db()
        ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    draws = Draw.objects.filter(sitting=world.sitting)
    assert draws.count() == 30
    assert set(draws.values_list("round", flat=True)) == {None}
    assert cards_count(Sitting.objects.get(pk=world.sitting.pk)) == 5  # the whole bank, still
    assert AuditEntry.objects.filter(action="ticket.draw", data__round=None).count() == 30


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("position", [0, 6, 99])
def test_a_card_beyond_the_bank_is_refused_and_nothing_changes(world, read, position):
    examinee = admitted(world, world.examinee, read)
    with pytest.raises(DomainError) as refused:
        ticket_draw(examinee=examinee, position=position, actor=examinee.student.user)
    assert refused.value.code == "bad_position"
    assert not Draw.objects.exists()
    assert Examinee.objects.get(pk=examinee.pk).status == "admitted"
    assert not AuditEntry.objects.filter(action="ticket.draw").exists()


def test_an_examinee_suspended_after_being_read_as_admitted_cannot_draw(world):
    examinee = admitted(world, world.examinee, "after admission")
    Examinee.objects.filter(pk=examinee.pk).update(status="suspended")  # meanwhile
    with pytest.raises(DomainError) as refused:
        ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    assert refused.value.code == "not_admitted"
    assert not Draw.objects.exists()
    assert Examinee.objects.get(pk=examinee.pk).status == "suspended"


def test_a_second_draw_returns_the_first_though_the_caller_read_admitted(world):
    examinee = admitted(world, world.examinee, "after admission")
    stale = Examinee.objects.select_related("sitting", "student__user").get(pk=examinee.pk)
    first, created = ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    again, created_again = ticket_draw(examinee=stale, position=2, actor=stale.student.user)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.ticket_id == first.ticket_id
    assert Draw.objects.count() == 1
    assert AuditEntry.objects.filter(action="ticket.draw").count() == 1


def test_a_sitting_without_tickets_says_so(world):
    examinee = admitted(world, world.examinee, "after admission")
    world.sitting.ticket_bank.tickets.all().delete()
    with pytest.raises(DomainError) as refused:
        ticket_draw(examinee=examinee, position=1, actor=examinee.student.user)
    assert refused.value.code == "no_tickets"
    assert Examinee.objects.get(pk=examinee.pk).status == "admitted"
