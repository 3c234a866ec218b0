"""Who was present, and who recused themselves or dissented: one place each, so that the
commission's attendance, recusals and dissents, once recorded, are wired in here alone.

Until then the system records no attendance of commission members: the present are the chair,
the secretaries and the members who entered a score in this sitting (every member when no one
has scored yet, so that a blank protocol can still be signed)."""

from attestation.commissions.models import Membership, Sitting
from attestation.grading.models import Score

R = Membership.Role


def members_present(sitting: Sitting, examinee=None) -> dict[str, list[Membership]]:
    """`{"chair": [...], "members": [...], "secretaries": [...]}` for the sitting (or for one
    examinee: the members who scored that examinee, when any did)."""
    memberships = list(sitting.commission.memberships.select_related("user"))
    scores = Score.objects.filter(examinee__sitting=sitting)
    if examinee is not None and Score.objects.filter(examinee=examinee).exists():
        scores = scores.filter(examinee=examinee)
    scored = set(scores.values_list("member_id", flat=True))
    members = [m for m in memberships if m.role == R.MEMBER]
    if scored:
        members = [m for m in members if m.user_id in scored]
    return {
        "chair": [m for m in memberships if m.role == R.CHAIR],
        "members": sorted(members, key=lambda m: m.user.display_name),
        "secretaries": [m for m in memberships if m.role == R.SECRETARY],
    }


def recusals_and_dissents(examinee) -> dict[str, list[str]]:
    """Lines for the examinee protocol: `{"recusals": [...], "dissents": [...]}`, each a
    name and the text. None are recorded yet."""
    return {"recusals": [], "dissents": []}
