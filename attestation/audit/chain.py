"""The audit log as a hash chain: each row carries the SHA-256 of the previous row and of its
own content, so a row edited or deleted behind the application's back (raw SQL, a restored
backup) no longer matches, and `manage.py audit_verify` names the first that does not.

Linking happens in the writer's own transaction: the chain head (one row) is updated first,
which queues concurrent writers on it (PostgreSQL: the row lock until commit; SQLite: the
IMMEDIATE transaction already holds the write lock), so each row links to the one committed
before it and a rolled-back change leaves no row and no gap."""

import hashlib
import json
from datetime import UTC

from django.db import connection

from attestation.audit.models import AuditChainHead, AuditEntry

GENESIS = ""


def content_of(entry: AuditEntry) -> str:
    """The row's content as canonical JSON: the same text whether built before the INSERT or
    read back from SQLite or PostgreSQL (UTC with microseconds, keys sorted, JSON round trip)."""
    at = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "seq": entry.seq,
        "prev": entry.prev_hash,
        "at": at,
        "actor": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "from": entry.from_state,
        "to": entry.to_state,
        "reason": entry.reason,
        "data": json.loads(json.dumps(entry.data or {})),
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def hash_of(entry: AuditEntry) -> str:
    return hashlib.sha256(content_of(entry).encode()).hexdigest()


def _head_table() -> str:
    return f'"{AuditChainHead._meta.db_table}"'


def _entry_table() -> str:
    return f'"{AuditEntry._meta.db_table}"'


def chain_advance() -> tuple[int, str]:
    """Take the next number and the previous hash, holding the head until the caller's
    transaction ends. Call inside a transaction."""
    with connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(
                f'UPDATE {_head_table()} SET "seq" = "seq" + 1 WHERE "id" = 1 '  # noqa: S608
                'RETURNING "seq", "last_hash"'
            )
            row = cursor.fetchone()
            if row is not None:
                return int(row[0]), row[1]
            # No head yet (a fresh or flushed database): start it from the rows there are.
            cursor.execute(
                f'INSERT INTO {_head_table()} ("id", "seq", "last_hash") '  # noqa: S608
                f'SELECT 1, COALESCE(MAX("seq"), 0), COALESCE((SELECT "hash" FROM {_entry_table()} '
                f'WHERE "seq" IS NOT NULL ORDER BY "seq" DESC LIMIT 1), \'\') '
                f"FROM {_entry_table()} WHERE 1 = 1 "
                'ON CONFLICT ("id") DO NOTHING'
            )
    raise RuntimeError("the audit chain head could not be created")  # pragma: no cover


def chain_close(last_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {_head_table()} SET "last_hash" = %s WHERE "id" = 1',  # noqa: S608
            [last_hash],
        )


def chain_verify(*, batch: int = 2000):
    """Walk the chain in order. Returns `(rows checked, None)` when it holds, else
    `(rows checked, (entry or None, why))` for the first row that does not match."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    unchained = AuditEntry.objects.filter(seq__isnull=True).order_by("pk").first()
    if unchained is not None:
        return checked, (unchained, "not in the chain (no number)")
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return checked, (entry, f"number {entry.seq} where {expected_seq} was expected")
            if entry.prev_hash != expected_prev:
                return checked, (entry, "its link to the previous row does not match")
            if entry.hash != hash_of(entry):
                return checked, (entry, "its content does not match its hash")
            expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
            last_seq = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.last_hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != expected_prev:
        return checked, (None, "the chain's last rows are missing")
    return checked, None
