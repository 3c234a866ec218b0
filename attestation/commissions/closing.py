"""After the announcement the answers are closed for good (SPEC K-7): nothing reopens them,
no page is added, the upload window does not move, and an absent student is not readmitted.
One rule, one message, for every service that could open an answer again."""

from django.utils.translation import gettext as _

from attestation.core.errors import DomainError


def ensure_not_announced(sitting) -> None:
    """409 `announced` once the sitting's results are out. Pass a freshly read sitting (the
    services pass the one `examinee_locked` re-read under their lock)."""
    if sitting.announced_at is not None:
        raise DomainError(
            _("The results are announced: the answers of this sitting are closed for good."),
            "announced",
        )
