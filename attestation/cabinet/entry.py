"""The entry status (R-9.2), read on every poll: kept to one query and no writes."""

from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.commissions.models import Examinee

S = Examinee.Status
ADMITTED = Examinee.ADMITTED_STATUSES


def entry_state(examinee: Examinee) -> dict:
    """What the student's red/green button shows."""
    return entry_state_of(examinee.status, examinee.position, examinee.rules_acknowledged_at)


def entry_state_by_token(*, examinee_id: int, token_hash: str) -> dict | None:
    """The poll's fast path: one query checks the token, that the examinee is the token
    owner's, and reads the state. None when either check fails."""
    row = (
        Examinee.objects.filter(
            pk=examinee_id,
            student__user__is_active=True,
            student__user__api_tokens__key_hash=token_hash,
            student__user__api_tokens__revoked_at__isnull=True,
            student__user__api_tokens__expires_at__gt=timezone.now(),
        )
        .values_list("status", "position", "rules_acknowledged_at")
        .first()
    )
    return entry_state_of(*row) if row else None


def entry_state_of(status: str, position: int, rules_acknowledged_at) -> dict:
    admitted = status in ADMITTED
    if admitted:
        message = _("You are admitted. Follow the link to the exam.")
    elif status == S.SUSPENDED:
        message = _("Your attestation is suspended by the commission. Wait for its decision.")
    elif status == S.TERMINATED:
        message = _("Your attestation was stopped by the commission.")
    elif status in (S.ABSENT, S.ABSENT_VALID, S.MOVED):
        message = _("You are marked absent in this sitting.")
    elif status == S.DONE:
        message = _("Your attestation in this sitting is finished.")
    else:
        message = _("Wait: the technical secretary calls students by the list.")
    return {
        "status": status,
        "status_label": str(S(status).label),
        "admitted": admitted,
        "position": position,
        "rules_acknowledged": rules_acknowledged_at is not None,
        "message": message,
    }
