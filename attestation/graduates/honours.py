"""The graduate's outcome (SPEC K-11, K-12) and the diploma with honours (K-10), as pure
functions over plain data: no query here. `roster.commission_graduates` loads the data for a
whole commission; the chair's page, the API, the degree protocol, the registrar's lists and
the chair's report all read the same answers.

Outcome of one student in one commission, from each of their examinees (an *attempt*):
- an attempt with a final grade is passed, or failed when the grade is unsatisfactory
  (FX or F, below 50: `Grade.passed`);
- absent without a valid reason (`absent`) ends the studies like a failure (K-11);
- absent for a valid reason or moved to another sitting (`absent_valid`, `moved`) is
  *postponed* (K-12) until the later sitting has a result; that attempt then counts instead;
- anything else (not graded yet, suspended, stopped without a grade) is *pending*.
The student's outcome is the worst of them: failed, absent, postponed, pending, passed.

Honours (K-10), every rule checked so that the chair sees every reason at once:
1. every final grade in the commission is A, A-, B+, B, B- or C+ (≥ 2.33 grade points);
2. GPA ≥ `HONOURS_MIN_GPA` (3.5); no GPA, no honours;
3. the state (or complex) exam or the defence graded A or A-: at least one of them;
4. no re-sits: no attempt after a failed one or an absence without a valid reason (in this
   commission or in an earlier year's, K-11's repeat attestation), and no second graded
   sitting of the same exam. A sitting after a postponement for a valid reason (K-12) is not
   a re-sit; nor is an appeal (K-13): the grade the appeal commission decided is the grade,
   and rules 1 and 3 read it, so an appeal that lowers a grade below C+ loses the honours;
5. every attempt has its result: no honours while something is pending or postponed.
Reasons are translated when they are made (the active language) and carry their figures."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from attestation.commissions.models import Examinee, Sitting
from attestation.grading.scale import Grade, grade_for

S = Examinee.Status
LOWEST_HONOURS_POINTS = Decimal("2.33")  # C+
TOP_LETTERS = ("A", "A-")

PASSED, FAILED, ABSENT, POSTPONED, PENDING = "passed", "failed", "absent", "postponed", "pending"
OUTCOMES = (PASSED, FAILED, ABSENT, POSTPONED, PENDING)
OUTCOME_LABELS = {
    PASSED: pgettext_lazy("outcome", "passed"),
    FAILED: pgettext_lazy("outcome", "failed"),
    ABSENT: gettext_lazy("absent without a valid reason"),
    POSTPONED: gettext_lazy("postponed to a later sitting"),
    PENDING: pgettext_lazy("outcome", "results pending"),
}
# The worst first: the student's outcome is the first of these any attempt has.
SEVERITY = (FAILED, ABSENT, POSTPONED, PENDING, PASSED)
# Outcomes that end the studies (K-11): the list for the expulsion order.
ENDS_STUDIES = (FAILED, ABSENT)


@dataclass(frozen=True)
class Attempt:
    """One examinee: one student's place in one sitting, reduced to what the rules read."""

    examinee_id: int
    sitting_id: int
    commission_id: int
    year: int
    form: str  # Sitting.Form
    exam_kind: str  # Sitting.ExamKind or ""
    title: str
    starts_at: datetime
    status: str  # Examinee.Status
    score: int | None  # the final grade; None: none (yet), or not counted
    announced: bool = False
    moved_to_id: int | None = None

    @property
    def grade(self) -> Grade | None:
        return grade_for(self.score) if self.score is not None else None

    @property
    def result(self) -> str:
        if self.status in (S.ABSENT_VALID, S.MOVED):
            return POSTPONED
        if self.status == S.ABSENT:
            return ABSENT
        grade = self.grade
        if grade is None:
            return PENDING
        return PASSED if grade.passed else FAILED

    @property
    def is_top_kind(self) -> bool:
        """The state or complex exam, or the defence (rule 3)."""
        return self.form == Sitting.Form.DEFENSE or bool(self.exam_kind)

    @property
    def label(self) -> str:
        """«State exam (written exam), 20.06.2026» in the active language."""
        if self.form != Sitting.Form.DEFENSE and self.exam_kind:
            kind = f"{Sitting.ExamKind(self.exam_kind).label} ({Sitting.Form(self.form).label})"
        else:
            kind = str(Sitting.Form(self.form).label)
        when = formats.date_format(timezone.localtime(self.starts_at), "SHORT_DATE_FORMAT")
        return f"{kind[:1].upper()}{kind[1:]}, {when}"

    @property
    def same_exam(self) -> tuple:
        return (self.form, self.exam_kind, " ".join(self.title.casefold().split()))


@dataclass(frozen=True)
class Record:
    """What the rules read of one student: the GPA, their attempts in this commission and
    their attempts in the earlier years' commissions (for re-sits)."""

    student_id: int
    full_name: str
    gpa: Decimal | None
    attempts: tuple[Attempt, ...]
    earlier: tuple[Attempt, ...] = ()

    def counted(self) -> list[Attempt]:
        """The attempts that decide: a postponed one gives way to the later sitting the
        student went to (`moved_to`, or any later sitting of the same form)."""
        ids = {a.examinee_id for a in self.attempts}
        kept = []
        for a in self.attempts:
            if a.result == POSTPONED and (
                a.moved_to_id in ids
                or any(b.form == a.form and b.starts_at > a.starts_at for b in self.attempts)
            ):
                continue
            kept.append(a)
        return sorted(kept, key=lambda a: (a.starts_at, a.examinee_id))

    @property
    def finals(self) -> list[Attempt]:
        """The attempts with a final grade, in order."""
        return [a for a in self.counted() if a.score is not None]


@dataclass(frozen=True)
class Reason:
    """Why not: a stable `code` (for clients and the report) and the text with its figures."""

    code: str
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Honours:
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.reasons]


def min_gpa_setting() -> Decimal:
    try:
        return Decimal(str(getattr(settings, "HONOURS_MIN_GPA", "3.5")))
    except InvalidOperation:
        return Decimal("3.5")


def _number(value: Decimal) -> str:
    return formats.number_format(value, use_l10n=True)


def outcome_of(record: Record) -> str:
    """The student's outcome in the commission: the worst of their counted attempts."""
    results = {a.result for a in record.counted()}
    if not results:
        return PENDING
    return next(outcome for outcome in SEVERITY if outcome in results)


def resits_of(record: Record) -> list[tuple[Attempt, Attempt]]:
    """`(re-sit, the attempt it follows)`: the attempt that followed a failure or an absence
    without a valid reason (of the same exam if there is one, else the next of any), and a
    second graded sitting of the same exam (K-11: never to improve a pass). Earlier years'
    attempts count; postponements for a valid reason do not. One pair per earlier attempt."""
    history = sorted(
        [*record.earlier, *record.attempts], key=lambda a: (a.starts_at, a.examinee_id)
    )
    sat = [a for a in record.counted() if a.result not in (POSTPONED, ABSENT)]
    found = []
    for before in history:
        later = [a for a in sat if a.starts_at > before.starts_at]
        same = [a for a in later if a.same_exam == before.same_exam]
        if before.result in (FAILED, ABSENT) and later:
            found.append(((same or later)[0], before))
        elif before.result == PASSED and any(a.score is not None for a in same):
            found.append((next(a for a in same if a.score is not None), before))
    return found


def honours_check(record: Record, *, min_gpa: Decimal | None = None) -> Honours:
    """The diploma with honours (K-10): eligible, or every reason why not, with figures."""
    min_gpa = min_gpa_setting() if min_gpa is None else min_gpa
    reasons: list[Reason] = []
    counted = record.counted()
    if not counted:
        reasons.append(Reason("no_results", _("No final grade yet.")))
    for a in counted:
        if a.result == PENDING:
            reasons.append(
                Reason("incomplete", _("%(sitting)s: no final grade yet.") % {"sitting": a.label})
            )
        elif a.result == POSTPONED:
            reasons.append(
                Reason(
                    "incomplete",
                    _("%(sitting)s: postponed to a later sitting.") % {"sitting": a.label},
                )
            )
        elif a.result == ABSENT:
            reasons.append(
                Reason(
                    "absent",
                    _("%(sitting)s: absent without a valid reason.") % {"sitting": a.label},
                )
            )
    finals = [a for a in counted if a.score is not None]
    low = [a for a in finals if a.grade.points < LOWEST_HONOURS_POINTS]
    for a in low:
        reasons.append(
            Reason(
                "below_c_plus",
                _("%(sitting)s: %(letter)s (%(points)s) — a grade below C+ (%(lowest)s).")
                % {
                    "sitting": a.label,
                    "letter": a.grade.letter,
                    "points": _number(a.grade.points),
                    "lowest": _number(LOWEST_HONOURS_POINTS),
                },
            )
        )
    if record.gpa is None:
        reasons.append(Reason("no_gpa", _("No GPA: the registrar has not entered it.")))
    elif record.gpa < min_gpa:
        reasons.append(
            Reason(
                "gpa_low",
                _("GPA %(gpa)s < %(min)s.") % {"gpa": _number(record.gpa), "min": _number(min_gpa)},
            )
        )
    top = [a for a in finals if a.is_top_kind]
    if finals and not any(a.grade.letter in TOP_LETTERS for a in top):
        if top:
            best = max(top, key=lambda a: a.score)
            text = _(
                "Neither the state exam nor the defence is graded A or A-: the best is "
                "%(letter)s (%(sitting)s)."
            ) % {"letter": best.grade.letter, "sitting": best.label}
        else:
            text = _("No state exam or defence grade.")
        reasons.append(Reason("no_top_grade", text))
    for attempt, before in resits_of(record):
        reasons.append(
            Reason(
                "resit",
                _("A re-sit: %(sitting)s after %(before)s (%(result)s).")
                % {
                    "sitting": attempt.label,
                    "before": before.label,
                    "result": (
                        before.grade.letter
                        if before.grade is not None
                        else str(OUTCOME_LABELS[before.result])
                    ),
                },
            )
        )
    return Honours(eligible=not reasons, reasons=reasons)
