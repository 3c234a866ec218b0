"""The kinds of import, in the order a registrar sets things up."""

from attestation.imports.kinds import commissions, dossiers, sittings, students, tickets
from attestation.imports.kinds.base import ImportConflict, ImportKind, Outcome

KINDS: dict[str, ImportKind] = {
    kind.key: kind
    for kind in (students.KIND, commissions.KIND, tickets.KIND, sittings.KIND, dossiers.KIND)
}

__all__ = ["KINDS", "ImportConflict", "ImportKind", "Outcome"]
