"""The audit log is a hash chain (issue 13): every row links to the one before it, concurrent
writers never fork or gap it, and `manage.py audit_verify` names the first row edited or
deleted behind the application's back."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from attestation.audit.chain import chain_verify
from attestation.audit.models import AuditEntry
from attestation.audit.services import log_action
from attestation.commissions import services as commission_services
from tests.test_draw_race import run_threads

TABLE = '"audit_auditentry"'


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def some_rows(world, count: int = 5) -> list[AuditEntry]:
    secretary = world.user("secretary")
    return [
        log_action(
            actor=secretary,
            action="test.note",
            target=world.examinee,
            reason=f"жазба {n}",
            data={"n": n, "ұпай": [1, 2.5, "үш"], "when": {"b": 1, "a": None}},
        )
        for n in range(count)
    ]


@pytest.mark.django_db
def test_rows_link_in_order_and_verify(world):
    commission_services.rules_acknowledge(
        examinee=world.examinee, actor=world.examinee.student.user
    )
    rows = some_rows(world)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == ""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert rows[-1].hash == entries[-1].hash
    assert f"{len(entries)} rows" in verify()


@pytest.mark.django_db
def test_a_row_edited_behind_the_applications_back_is_named(world):
    rows = some_rows(world)
    edited = rows[2]
    with connection.cursor() as cursor:
        sql = f'UPDATE {TABLE} SET "reason" = %s WHERE "id" = %s'  # noqa: S608
        cursor.execute(sql, ["ешкім білмейді", edited.pk])
    with pytest.raises(CommandError, match=rf"row id={edited.pk} \(number {edited.seq},"):
        verify()


@pytest.mark.django_db
def test_a_row_edited_with_its_hash_recomputed_breaks_the_next_link(world):
    """Someone who knows the recipe rewrites a row and its own hash: the next row's link no
    longer matches."""
    from attestation.audit.chain import hash_of

    rows = some_rows(world)
    edited = AuditEntry.objects.get(pk=rows[1].pk)
    edited.reason = "басқа себеп"
    edited.hash = hash_of(edited)
    with connection.cursor() as cursor:
        sql = f'UPDATE {TABLE} SET "reason" = %s, "hash" = %s WHERE "id" = %s'  # noqa: S608
        cursor.execute(sql, [edited.reason, edited.hash, edited.pk])
    with pytest.raises(CommandError, match=rf"row id={rows[2].pk} "):
        verify()


@pytest.mark.django_db
def test_a_deleted_row_or_a_deleted_tail_is_found(world):
    rows = some_rows(world)
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM {TABLE} WHERE "id" = %s', [rows[-1].pk])  # noqa: S608
    with pytest.raises(CommandError, match="last rows are missing"):
        verify()
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM {TABLE} WHERE "id" = %s', [rows[1].pk])  # noqa: S608
    with pytest.raises(
        CommandError, match=rf"row id={rows[2].pk} .*number {rows[2].seq} where {rows[1].seq}"
    ):
        verify()


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_row_and_no_gap(world):
    before = AuditEntry.objects.count()  # the world's own rows
    some_rows(world, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        some_rows(world, 1)
        raise RuntimeError("the change fails after its audit row")
    some_rows(world, 2)
    numbers = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert numbers == list(range(1, before + 5))
    assert chain_verify()[1] is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(world):
    """Real threads, each its own connection and transactions (a SQLite file, or PostgreSQL
    with DATABASE_URL): the chain verifies after the race, with no gap and no double."""
    start = AuditEntry.objects.count()
    secretary = world.user("secretary")

    def writer(n: int) -> int:
        for i in range(6):
            with transaction.atomic():
                log_action(
                    actor=secretary,
                    action="test.race",
                    target=world.examinee,
                    data={"thread": n, "i": i},
                )
                if i == 3:
                    transaction.set_rollback(True)  # a change that fails: no row, no gap
        return n

    results, errors = run_threads(writer, [(n,) for n in range(8)])
    assert errors == []
    assert AuditEntry.objects.filter(action="test.race").count() == 8 * 5
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, start + 8 * 5 + 1))
    checked, broken = chain_verify()
    assert broken is None and checked == start + 40


@pytest.mark.django_db(transaction=True)
def test_a_crowd_drawing_at_once_keeps_the_chain(world):
    """The draw's fast path on PostgreSQL (tickets/pg_draw.py) writes its audit row through
    the chain too: after 12 students draw at once the chain verifies, one row each."""
    from attestation.tickets.services import ticket_draw
    from tests.factories import ExamineeFactory, TicketFactory
    from tests.personas import admit

    for number in range(6, 13):
        TicketFactory(bank=world.sitting.ticket_bank, number=number)
    crowd = [world.examinee, world.other_examinee] + [
        ExamineeFactory(sitting=world.sitting, position=n) for n in range(3, 13)
    ]
    fresh = [admit(world, examinee) for examinee in crowd]
    _results, errors = run_threads(
        lambda e: ticket_draw(examinee=e, position=1, actor=e.student.user), [(e,) for e in fresh]
    )
    assert errors == []
    assert AuditEntry.objects.filter(action="ticket.draw").count() == 12
    checked, broken = chain_verify()
    assert broken is None and checked == AuditEntry.objects.count()
