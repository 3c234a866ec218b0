"""Who was present, and who recused themselves or dissented: the one place the protocols ask.

Present: the members the technical secretary marked present at the sitting, and any member
not marked either way who graded in it (for one examinee: without those recused from them),
with the secretaries. A sitting with no attendance recorded (older data) falls back to what the
scores say: the chair, and the members who scored in this sitting (every member when no one
has scored yet, so that a blank protocol can still be signed)."""

from attestation.commissions.models import Attendance, Dissent, Membership, Recusal, Sitting
from attestation.commissions.quorum import voting_memberships
from attestation.grading.models import Score

R = Membership.Role


def members_present(sitting: Sitting, examinee=None) -> dict[str, list[Membership]]:
    """`{"chair": [...], "members": [...], "secretaries": [...]}` for the sitting (or for one
    examinee)."""
    memberships = list(sitting.commission.memberships.select_related("user"))
    secretaries = [m for m in memberships if m.role == R.SECRETARY]
    marks = dict(Attendance.objects.filter(sitting=sitting).values_list("user_id", "present"))
    if marks:
        # Marked present; and a member not marked either way who graded here took part too
        # (the secretary may not have caught up with a late arrival).
        scorers = (
            Score.objects.filter(examinee=examinee)
            if examinee
            else Score.objects.filter(examinee__sitting=sitting)
        )
        graded = set(scorers.values_list("member_id", flat=True))
        present = [
            m
            for m in voting_memberships(sitting.commission_id)
            if marks.get(m.user_id) or (m.user_id not in marks and m.user_id in graded)
        ]
        if examinee is not None:
            recused = set(
                Recusal.objects.filter(examinee=examinee).values_list("user_id", flat=True)
            )
            present = [m for m in present if m.user_id not in recused]
        return {
            "chair": [m for m in present if m.role == R.CHAIR],
            "members": [m for m in present if m.role != R.CHAIR],
            "secretaries": secretaries,
        }
    scores = Score.objects.filter(examinee__sitting=sitting)
    if examinee is not None and Score.objects.filter(examinee=examinee).exists():
        scores = scores.filter(examinee=examinee)
    scored = set(scores.values_list("member_id", flat=True))
    members = [m for m in memberships if m.role in (R.MEMBER, R.DEPUTY)]
    if scored:
        members = [m for m in members if m.user_id in scored]
    return {
        "chair": [m for m in memberships if m.role == R.CHAIR],
        "members": sorted(members, key=lambda m: m.user.display_name),
        "secretaries": secretaries,
    }


def recusals_and_dissents(examinee) -> dict[str, list[str]]:
    """Lines for the examinee protocol: `{"recusals": [...], "dissents": [...]}`, each the
    member's name and the reason or the opinion."""
    recusals = [
        f"{r.user.display_name}: {r.reason_text}" if r.reason_text else r.user.display_name
        for r in Recusal.objects.filter(examinee=examinee).select_related("user").order_by("pk")
    ]
    dissents = [
        f"{d.member.display_name}: {d.text}"
        for d in Dissent.objects.filter(examinee=examinee).select_related("member")
    ]
    return {"recusals": recusals, "dissents": dissents}
