from typing import Any

from django.db import models

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
    """Write one audit row. Call it inside the service's transaction, so that the change and
    its record commit (or roll back) together. Inserted without the ORM's compiler: every
    state change pays for it, the draw inside its lock (core/rawsql.py)."""
    return insert(
        AuditEntry(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:300],
            from_state=str(from_state or ""),
            to_state=str(to_state or ""),
            reason=reason or "",
            data=data or {},
        )
    )
