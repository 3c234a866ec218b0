from typing import Any

from django.db import models, transaction

from attestation.audit.chain import chain_advance, chain_close, hash_of
from attestation.audit.models import AuditEntry
from attestation.core.rawsql import insert


def log_action(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Write one audit row, linked into the hash chain (audit/chain.py). Call it inside the
    service's transaction, so that the change and its record commit (or roll back) together;
    late in it, since the chain's head stays taken until the commit. Inserted without the
    ORM's compiler: every state change pays for it, the draw inside its lock (core/rawsql.py)."""
    with transaction.atomic(savepoint=False):
        seq, prev_hash = chain_advance()
        entry = AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:300],
            from_state=str(from_state or ""),
            to_state=str(to_state or ""),
            reason=reason or "",
            data=data or {},
            seq=seq,
            prev_hash=prev_hash,
        )
        entry.hash = hash_of(entry)
        insert(entry)
        chain_close(entry.hash)
    return entry
