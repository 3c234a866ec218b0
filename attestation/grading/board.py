"""What the grading console shows (R-15.1, R-16.1): one row per examinee with the ticket, the
answer, the viewer's own score and — once they have entered it, or to the chair — the others'.
Reads only, in a fixed number of queries whatever the size of the sitting."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from attestation.commissions import quorum
from attestation.commissions.access import roles_in
from attestation.commissions.models import Dissent, Examinee, Membership, Recusal, Sitting
from attestation.commissions.quorum import Quorum
from attestation.grading import services
from attestation.grading.deadlines import grading_deadline
from attestation.grading.models import Score
from attestation.grading.scale import Grade, grade_for

R = Membership.Role


def spread_threshold() -> int:
    """Scores further apart than this (max − min) are a disagreement the chair sees."""
    return int(getattr(settings, "GRADE_SPREAD_THRESHOLD", 15))


def mean_score(values: list[int]) -> int | None:
    """The mean of the members' scores, rounded half up: what the chair is offered."""
    if not values:
        return None
    mean = Decimal(sum(values)) / Decimal(len(values))
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Viewer:
    roles: set[str]
    acting: str | None = None  # `chair`, or `deputy` for a chair marked absent (K-1)

    @property
    def is_chair(self) -> bool:
        """Decides: the chair, or the deputy chair acting for an absent chair."""
        return R.CHAIR in self.roles or self.acting == R.DEPUTY

    @property
    def is_deputy_acting(self) -> bool:
        return self.acting == R.DEPUTY

    @property
    def is_member(self) -> bool:
        return bool(self.roles & {R.MEMBER, R.DEPUTY})

    @property
    def can_score(self) -> bool:
        return bool(self.roles & {R.CHAIR, R.MEMBER})

    @property
    def is_secretary(self) -> bool:
        return R.SECRETARY in self.roles


@dataclass
class Row:
    examinee: Examinee
    own: Score | None
    scores: list[Score]  # every examiner's, in the commission's order
    scores_visible: bool  # the chair always; a member once their own score is in
    final_visible: bool
    scorable: bool
    finalizable: bool
    needs_final: bool
    threshold: int
    incidents: list = field(default_factory=list)
    # The commission's decision (K-2 … K-4)
    proposed: int | None = None  # the mean of the present, non-recused members' scores
    recusals: list = field(default_factory=list)
    dissents: list = field(default_factory=list)
    recused: bool = False  # the viewer is recused from this examinee
    quorum: Quorum | None = None  # the examinee's: without the recused
    own_dissent: Dissent | None = None
    not_counted: list = field(default_factory=list)  # scores of members marked absent

    @property
    def draw(self):
        return getattr(self.examinee, "draw", None)

    @property
    def questions(self) -> list:
        return list(self.draw.ticket.questions.all()) if self.draw else []

    @property
    def document(self):
        return getattr(self.examinee, "answer_document", None)

    @property
    def values(self) -> list[int]:
        return [s.score for s in self.scores]

    @property
    def mean(self) -> int | None:
        return mean_score(self.values)

    @property
    def spread(self) -> int | None:
        return max(self.values) - min(self.values) if len(self.values) > 1 else None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread > self.threshold

    @property
    def final(self) -> Grade | None:
        score = self.examinee.final_score
        return grade_for(score) if score is not None and self.final_visible else None

    @property
    def offered(self) -> int | None:
        """Pre-filled in the chair's form: the final grade if set, else the proposed grade."""
        if self.examinee.final_score is not None:
            return self.examinee.final_score
        return self.proposed

    @property
    def far_from_proposed(self) -> bool:
        """The final grade is further from the proposed one than the threshold (a reason was
        required)."""
        final, proposed = self.examinee.final_score, self.proposed
        return final is not None and proposed is not None and abs(final - proposed) > self.threshold


def examinees_for_grading(sitting: Sitting):
    """The sitting's examinees with everything a row shows, in four queries."""
    return (
        sitting.examinees.select_related("student__user", "draw__ticket", "answer_document")
        .prefetch_related(
            "draw__ticket__questions",
            Prefetch("scores", queryset=Score.objects.select_related("member")),
            Prefetch("incidents", to_attr="incident_list"),
            Prefetch("recusals", queryset=Recusal.objects.select_related("user")),
            Prefetch("dissents", queryset=Dissent.objects.select_related("member")),
        )
        .order_by("position")
    )


@dataclass
class Decision:
    """The sitting's attendance, read once for all rows (K-2)."""

    memberships: list
    marks: dict[int, bool]

    @classmethod
    def of(cls, sitting: Sitting) -> "Decision":
        return cls(
            memberships=quorum.voting_memberships(sitting.commission_id),
            marks=quorum.attendance_of(sitting),
        )

    @property
    def absent(self) -> set[int]:
        return {user_id for user_id, present in self.marks.items() if not present}

    @property
    def quorum(self) -> Quorum:
        return Quorum(
            present=sum(1 for m in self.memberships if self.marks.get(m.user_id)),
            members=len(self.memberships),
        )

    def attendance(self) -> list[dict]:
        return [{"membership": m, "present": self.marks.get(m.user_id)} for m in self.memberships]


def make_row(
    examinee: Examinee,
    viewer: Viewer,
    user,
    order: dict[int, int],
    now,
    decision: Decision | None = None,
) -> Row:
    decision = decision or Decision.of(examinee.sitting)
    scores = sorted(examinee.scores.all(), key=lambda s: (order.get(s.member_id, 99), s.pk))
    recusals = list(examinee.recusals.all())
    recused = quorum.recused_user_ids(examinee, memberships=decision.memberships, recusals=recusals)
    counted = quorum.counted_scores(scores, absent=decision.absent, recused=recused)
    not_counted = [s for s in scores if s not in counted]
    dissents = list(examinee.dissents.all())
    own = next((s for s in scores if s.member_id == user.pk), None)
    announced = examinee.sitting.announced_at is not None
    sees_scores = viewer.is_chair or (viewer.can_score and own is not None)
    return Row(
        examinee=examinee,
        own=own,
        scores=scores,
        scores_visible=sees_scores,
        # The secretary prepares the protocol: finals yes, members' scores no.
        final_visible=sees_scores or viewer.is_secretary or announced,
        scorable=services.scorable(examinee),
        finalizable=services.finalizable(examinee, now=now),
        needs_final=services.needs_final(examinee),
        threshold=spread_threshold(),
        incidents=getattr(examinee, "incident_list", []),
        proposed=quorum.mean_half_up([s.score for s in counted]),
        recusals=recusals,
        dissents=dissents,
        recused=user.pk in recused,
        quorum=quorum.examinee_quorum(
            examinee, memberships=decision.memberships, marks=decision.marks, recused=recused
        ),
        own_dissent=next((d for d in dissents if d.member_id == user.pk), None),
        not_counted=not_counted,
    )


def document_view(user, sitting: Sitting):
    """What a document (the protocol, PDF or DOCX) may show `user` of one examinee, as
    `(scores_visible, final_visible)` given the examinee's scores: the same rule as the
    console's rows (`make_row`). A member who has not scored an examinee sees no other score
    and, before the announcement, no final; the chair, the secretary (who prepares the record)
    and the registrar see everything. `user` None is the official record itself."""
    if user is None or getattr(user, "is_registrar", False):
        return lambda scores: (True, True)
    viewer = Viewer(roles=roles_in(user, sitting.commission))
    announced = sitting.announced_at is not None
    if viewer.is_chair or viewer.is_secretary:
        return lambda scores: (True, True)

    def view(scores) -> tuple[bool, bool]:
        own = any(s.member_id == user.pk for s in scores)
        return own, own or announced

    return view


def examiners_of(sitting: Sitting) -> list[Membership]:
    """The chair first, then the members, by name."""
    memberships = sitting.commission.memberships.filter(role__in=(R.CHAIR, R.MEMBER))
    return sorted(
        memberships.select_related("user"),
        key=lambda m: (m.role != R.CHAIR, m.user.display_name),
    )


def sitting_board(sitting: Sitting, user) -> dict:
    """Everything the console page needs (R-15.1, R-16.1)."""
    now = timezone.now()
    decision = Decision.of(sitting)
    viewer = _viewer(user, sitting, decision)
    examiners = examiners_of(sitting)
    order = {m.user_id: i for i, m in enumerate(examiners)}
    examinees = list(examinees_for_grading(sitting))
    rows = [make_row(e, viewer, user, order, now, decision) for e in examinees]
    to_grade = [r for r in rows if r.needs_final]
    deadline = grading_deadline(sitting, examinees)
    finals_set = sum(1 for r in to_grade if r.examinee.final_score is not None)
    scored_by = {m.user_id: 0 for m in examiners}
    for row in to_grade:
        for score in row.scores:
            scored_by[score.member_id] = scored_by.get(score.member_id, 0) + 1
    announced = sitting.announced_at is not None
    return {
        "sitting": sitting,
        "viewer": viewer,
        "rows": rows,
        "examiners": [{"membership": m, "scored": scored_by.get(m.user_id, 0)} for m in examiners],
        "total": len(to_grade),
        "own_scored": sum(1 for r in to_grade if r.own is not None),
        "finals_set": finals_set,
        "missing": [r.examinee for r in to_grade if r.examinee.final_score is None],
        "disagreements": sum(1 for r in rows if r.scores_visible and r.disagreement),
        "deadline": deadline,
        "now": now,
        "overdue": not announced and now > deadline and finals_set < len(to_grade),
        "announced": announced,
        "threshold": spread_threshold(),
        "quorum": decision.quorum,
        "attendance": decision.attendance(),
        "absent_self": user.pk in decision.absent,
    }


def examinee_board(examinee: Examinee, user) -> dict:
    """One examinee's grading page: the same row, plus the written questions (R-22.2)."""
    sitting = examinee.sitting
    decision = Decision.of(sitting)
    viewer = _viewer(user, sitting, decision)
    examiners = examiners_of(sitting)
    order = {m.user_id: i for i, m in enumerate(examiners)}
    full = examinees_for_grading(sitting).prefetch_related("written_questions").get(pk=examinee.pk)
    row = make_row(full, viewer, user, order, timezone.now(), decision)
    others = sitting.examinees.values_list("pk", flat=True)
    previous_id = others.filter(position__lt=full.position).order_by("-position").first()
    next_id = others.filter(position__gt=full.position).order_by("position").first()
    return {
        "sitting": sitting,
        "examinee": full,
        "viewer": viewer,
        "row": row,
        "written_questions": list(full.written_questions.all()),
        "previous_id": previous_id,
        "next_id": next_id,
        "announced": sitting.announced_at is not None,
        "quorum": decision.quorum,
        "attendance": decision.attendance(),
        "absent_self": user.pk in decision.absent,
        "threshold": spread_threshold(),
    }


def _viewer(user, sitting: Sitting, decision: Decision) -> Viewer:
    roles = roles_in(user, sitting.commission)
    acting = None
    if R.CHAIR in roles:
        acting = R.CHAIR
    elif R.DEPUTY in roles:
        chairs = {m.user_id for m in decision.memberships if m.role == R.CHAIR}
        if any(decision.marks.get(c) is False for c in chairs):
            acting = R.DEPUTY
    return Viewer(roles=roles, acting=acting)
