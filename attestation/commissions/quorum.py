"""Who sits, who may decide, and whether the commission can decide (SPEC K-1 … K-3). Reads
only; the state changes are in `commissions.decision`.

Who counts in "the commission's members" for the two thirds (K-2): everyone who holds the
chair, deputy chair or member role in the commission, each person once. The technical
secretary keeps the record and is not a member of the commission. The required number is
two thirds of the members, rounded up (7 members → 5, 3 → 2).

"Present" means marked present by the secretary for that sitting: with no attendance recorded
nobody is present, and the commission decides nothing. A member marked absent does not grade
at that sitting; a member not yet marked either way may grade (the secretary may be catching
up with a late arrival) but counts for the quorum only once marked present.

For one examinee the quorum counts without the members recused from them (K-3): the members
are then the others, and two thirds of those must be present.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attestation.commissions.models import Attendance, Examinee, Membership, Recusal, Sitting
from attestation.core.errors import DomainError

R = Membership.Role
# The commission's members for the quorum: the secretary is not one.
VOTING = (R.CHAIR, R.DEPUTY, R.MEMBER)
# When one person holds several roles, the one shown and signed under.
ROLE_ORDER = {R.CHAIR: 0, R.DEPUTY: 1, R.MEMBER: 2}


@dataclass(frozen=True)
class Quorum:
    present: int  # members marked present (without the recused, for one examinee)
    members: int  # the commission's members (without the recused, for one examinee)

    @property
    def required(self) -> int:
        """Two thirds of the members, rounded up (K-2)."""
        return (2 * self.members + 2) // 3

    @property
    def met(self) -> bool:
        return self.members > 0 and self.present >= self.required

    @property
    def short(self) -> int:
        """How many more members must be present."""
        return max(self.required - self.present, 0)

    def as_dict(self) -> dict:
        return {
            "present": self.present,
            "required": self.required,
            "met": self.met,
            "members": self.members,
        }


def required_for(members: int) -> int:
    return Quorum(present=0, members=members).required


def voting_memberships(commission_id: int) -> list[Membership]:
    """One membership per member of the commission (chair first, then the deputy chair, then
    the members by name)."""
    rows = Membership.objects.filter(commission_id=commission_id, role__in=VOTING).select_related(
        "user"
    )
    best: dict[int, Membership] = {}
    for membership in rows:
        kept = best.get(membership.user_id)
        if kept is None or ROLE_ORDER[membership.role] < ROLE_ORDER[kept.role]:
            best[membership.user_id] = membership
    return sorted(best.values(), key=lambda m: (ROLE_ORDER[m.role], m.user.display_name))


def attendance_of(sitting: Sitting) -> dict[int, bool]:
    """user id → marked present (True) or absent (False); members not marked are missing."""
    return dict(Attendance.objects.filter(sitting=sitting).values_list("user_id", "present"))


def present_memberships(sitting: Sitting) -> list[Membership]:
    """The members marked present at this sitting, one membership each, in the commission's
    order: who decides and who signs the protocol (K-2, K-5)."""
    marks = attendance_of(sitting)
    return [m for m in voting_memberships(sitting.commission_id) if marks.get(m.user_id)]


def absent_user_ids(sitting: Sitting) -> set[int]:
    """Members the secretary marked absent at this sitting: they do not grade in it."""
    return set(
        Attendance.objects.filter(sitting=sitting, present=False).values_list("user_id", flat=True)
    )


def is_marked_absent(sitting: Sitting, user) -> bool:
    return Attendance.objects.filter(sitting=sitting, user=user, present=False).exists()


def sitting_quorum(sitting: Sitting, *, memberships=None, marks=None) -> Quorum:
    """The sitting's quorum: members present of the commission's members (K-2)."""
    memberships = voting_memberships(sitting.commission_id) if memberships is None else memberships
    marks = attendance_of(sitting) if marks is None else marks
    return Quorum(
        present=sum(1 for m in memberships if marks.get(m.user_id)), members=len(memberships)
    )


# --- Conflicts of interest (K-3) ------------------------------------------------------------


def _name_words(text: str) -> list[str]:
    return [w for w in text.replace(".", " ").replace(",", " ").lower().split() if w]


def supervisor_matches(supervisor: str, full_name: str) -> bool:
    """Whether the thesis record's supervisor («Ахметов Ә. Қ., т.ғ.к., доцент» or the full
    name) is this person («Ахметов Әлібек Қанатұлы»): the same surname and the initials of
    the given names that the record shows."""
    name = _name_words(full_name)
    written = _name_words((supervisor or "").split(",")[0])
    if len(name) < 2 or len(written) < 2 or written[0] != name[0]:
        return False
    given, rest = written[1:], name[1:]
    if len(given) > len(rest):
        return False
    return all(
        part == whole or (len(part) == 1 and whole.startswith(part))
        for part, whole in zip(given, rest, strict=False)
    )


def supervisor_ids(examinee: Examinee, memberships: list[Membership]) -> set[int]:
    """Members who supervised this examinee's thesis (a defence's thesis record)."""
    if not examinee.supervisor:
        return set()
    return {
        m.user_id for m in memberships if supervisor_matches(examinee.supervisor, m.user.full_name)
    }


def recused_user_ids(examinee: Examinee, *, memberships=None, recusals=None) -> set[int]:
    """Who does not grade this examinee: declared conflicts, and the thesis's supervisor if
    they sit on the commission (recused automatically, also before the row is written)."""
    memberships = (
        voting_memberships(examinee.sitting.commission_id) if memberships is None else memberships
    )
    if recusals is None:
        recusals = Recusal.objects.filter(examinee=examinee).values_list("user_id", flat=True)
    else:
        recusals = [r.user_id for r in recusals]
    return set(recusals) | supervisor_ids(examinee, memberships)


def examinee_quorum(examinee: Examinee, *, memberships=None, marks=None, recused=None) -> Quorum:
    """The quorum for one examinee: the commission without the members recused from them."""
    sitting = examinee.sitting
    memberships = voting_memberships(sitting.commission_id) if memberships is None else memberships
    marks = attendance_of(sitting) if marks is None else marks
    if recused is None:
        recused = recused_user_ids(examinee, memberships=memberships)
    deciding = [m for m in memberships if m.user_id not in recused]
    return Quorum(present=sum(1 for m in deciding if marks.get(m.user_id)), members=len(deciding))


def require_quorum(quorum: Quorum) -> None:
    """409 `no_quorum`, saying how many more members must be present (K-2)."""
    if quorum.met:
        return
    more = ngettext(
        "%(short)s more member must be present.",
        "%(short)s more members must be present.",
        quorum.short,
    ) % {"short": quorum.short}
    raise DomainError(
        _(
            "No quorum: present %(present)s of %(members)s, quorum %(required)s (two thirds). "
            "Without it the commission decides nothing."
        )
        % {"present": quorum.present, "members": quorum.members, "required": quorum.required}
        + " "
        + more,
        "no_quorum",
    )


# --- Who acts as the chair (K-1) ------------------------------------------------------------


def acting_chair(user, sitting: Sitting) -> str | None:
    """`chair` for the chair; `deputy` for the deputy chair when the secretary marked the
    chair absent at this sitting; otherwise None."""
    roles = set(
        Membership.objects.filter(
            user=user, commission_id=sitting.commission_id, role__in=(R.CHAIR, R.DEPUTY)
        ).values_list("role", flat=True)
    )
    if R.CHAIR in roles:
        return R.CHAIR
    if R.DEPUTY in roles and chair_absent(sitting):
        return R.DEPUTY
    return None


def chair_absent(sitting: Sitting) -> bool:
    chair = Membership.objects.filter(commission_id=sitting.commission_id, role=R.CHAIR)
    return Attendance.objects.filter(
        sitting=sitting, present=False, user_id__in=chair.values("user_id")
    ).exists()


def require_acting_chair(user, sitting: Sitting) -> str:
    """The chair, or the deputy chair for an absent chair; returns which (for the audit)."""
    acting = acting_chair(user, sitting)
    if acting is not None:
        return acting
    if Membership.objects.filter(
        user=user, commission_id=sitting.commission_id, role=R.DEPUTY
    ).exists():
        raise DomainError(
            _("The chair is not marked absent: the deputy chair acts only for an absent chair."),
            "chair_present",
        )
    raise DomainError(_("You do not hold the role this needs."), "forbidden", 403)


# --- The proposed final grade (K-4) ---------------------------------------------------------


def mean_half_up(values: list[int]) -> int | None:
    if not values:
        return None
    mean = Decimal(sum(values)) / Decimal(len(values))
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def counted_scores(scores, *, absent: set[int], recused: set[int]) -> list:
    """The scores that make the proposed grade: not of a member marked absent, not of a
    member recused from the examinee."""
    return [s for s in scores if s.member_id not in absent and s.member_id not in recused]


def proposed_final(examinee: Examinee) -> int | None:
    """The mean of the present, non-recused members' scores, rounded half up: what the chair
    is offered."""
    from attestation.grading.models import Score

    scores = list(Score.objects.filter(examinee=examinee))
    counted = counted_scores(
        scores, absent=absent_user_ids(examinee.sitting), recused=recused_user_ids(examinee)
    )
    return mean_half_up([s.score for s in counted])
