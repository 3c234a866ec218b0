"""Protocol numbers: in sequence within the commission's year, no gap and no double (K-5).

A number is taken in the transaction that creates its protocol, on the commission-year's
counter row: PostgreSQL holds the row lock until the commit, SQLite's IMMEDIATE transaction
holds the write lock; a rolled-back creation gives its number back. Take `counter_lock` before
reading what is missing, so that two generators never both decide to create the same one
(pretix/base/services/invoices.py numbers invoices the same way)."""

from django.db import connection

from attestation.records.models import ProtocolCounter

TABLE = f'"{ProtocolCounter._meta.db_table}"'


def counter_lock(commission_id: int, year: int) -> None:
    """Create the counter if needed and hold its row until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {TABLE} ("commission_id", "year", "last") VALUES (%s, %s, 0) '  # noqa: S608
            'ON CONFLICT ("commission_id", "year") DO NOTHING',
            [commission_id, year],
        )
        cursor.execute(
            f'UPDATE {TABLE} SET "last" = "last" WHERE "commission_id" = %s AND "year" = %s',  # noqa: S608
            [commission_id, year],
        )


def number_next(commission_id: int, year: int) -> int:
    """The next number of this commission's year. Call inside the creating transaction."""
    counter_lock(commission_id, year)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {TABLE} SET "last" = "last" + 1 '  # noqa: S608
            'WHERE "commission_id" = %s AND "year" = %s RETURNING "last"',
            [commission_id, year],
        )
        return int(cursor.fetchone()[0])
