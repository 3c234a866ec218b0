"""The grading scale of Kazakh universities (STACK.md): percent → letter → grade points, and the
traditional word. One table, read by the pages, the API, the protocol, the export and mail."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# Traditional words (kk / ru): «өте жақсы / отлично», «жақсы / хорошо»,
# «қанағаттанарлық / удовлетворительно», «қанағаттанарлықсыз / неудовлетворительно».
EXCELLENT = pgettext_lazy("grade", "excellent")
GOOD = pgettext_lazy("grade", "good")
SATISFACTORY = pgettext_lazy("grade", "satisfactory")
UNSATISFACTORY = pgettext_lazy("grade", "unsatisfactory")

# (lowest score, letter, grade points, word), highest first.
SCALE: tuple[tuple[int, str, Decimal, Promise], ...] = (
    (95, "A", Decimal("4.0"), EXCELLENT),
    (90, "A-", Decimal("3.67"), EXCELLENT),
    (85, "B+", Decimal("3.33"), GOOD),
    (80, "B", Decimal("3.0"), GOOD),
    (75, "B-", Decimal("2.67"), GOOD),
    (70, "C+", Decimal("2.33"), GOOD),
    (65, "C", Decimal("2.0"), SATISFACTORY),
    (60, "C-", Decimal("1.67"), SATISFACTORY),
    (55, "D+", Decimal("1.33"), SATISFACTORY),
    (50, "D", Decimal("1.0"), SATISFACTORY),
    (25, "FX", Decimal("0.5"), UNSATISFACTORY),
    (0, "F", Decimal("0"), UNSATISFACTORY),
)
LETTERS: tuple[str, ...] = tuple(row[1] for row in SCALE)
MIN_SCORE, MAX_SCORE = 0, 100


@dataclass(frozen=True)
class Grade:
    score: int
    letter: str
    points: Decimal
    word: Promise  # lazy: rendered in the language active where it is shown

    @property
    def passed(self) -> bool:
        return self.points >= Decimal("1.0")

    def as_dict(self) -> dict:
        """For JSON: the word in the active language, points as a number."""
        return {
            "score": self.score,
            "letter": self.letter,
            "points": float(self.points),
            "word": str(self.word),
        }


def grade_for(score: int) -> Grade:
    """The letter, grade points and word for a score from 0 to 100."""
    if isinstance(score, bool) or not isinstance(score, int):
        raise TypeError("a score is a whole number")
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise ValueError(f"a score is from {MIN_SCORE} to {MAX_SCORE}, not {score}")
    for lowest, letter, points, word in SCALE:
        if score >= lowest:
            return Grade(score=score, letter=letter, points=points, word=word)
    raise AssertionError("unreachable: the scale starts at 0")
