"""The entry status (R-9.2), read on every poll: kept to one query and no writes."""

from django.utils.translation import gettext as _

from attestation.commissions.models import Examinee

S = Examinee.Status


def entry_state(examinee: Examinee) -> dict:
    """What the student's red/green button shows."""
    admitted = examinee.admitted
    if admitted:
        message = _("You are admitted. Follow the link to the exam.")
    elif examinee.status == S.SUSPENDED:
        message = _("Your attestation is suspended by the commission. Wait for its decision.")
    elif examinee.status == S.TERMINATED:
        message = _("Your attestation was stopped by the commission.")
    elif examinee.status in (S.ABSENT, S.ABSENT_VALID, S.MOVED):
        message = _("You are marked absent in this sitting.")
    elif examinee.status in (S.DONE,):
        message = _("Your attestation in this sitting is finished.")
    else:
        message = _("Wait: the technical secretary calls students by the list.")
    return {
        "status": examinee.status,
        "status_label": str(examinee.get_status_display()),
        "admitted": admitted,
        "position": examinee.position,
        "rules_acknowledged": examinee.rules_acknowledged_at is not None,
        "message": message,
    }
