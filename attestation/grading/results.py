"""The grade distribution by letter and the mean grade points, for a sitting or a commission,
drawn as inline SVG bars on the server (no JavaScript library)."""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from attestation.grading.scale import LETTERS, grade_for

CHART_WIDTH, CHART_HEIGHT = 600, 200
BAR_AREA = 150  # px for the tallest bar; the rest holds the counts and letters
TOP = 22


def distribution(scores: list[int]) -> dict:
    """Counts per letter (all twelve, in scale order), the mean score and mean grade points,
    and the bars' geometry for `grading/_chart.html`."""
    grades = [grade_for(s) for s in scores]
    counts = Counter(g.letter for g in grades)
    tallest = max(counts.values(), default=0)
    slot = CHART_WIDTH / len(LETTERS)
    bars = []
    for i, letter in enumerate(LETTERS):
        count = counts.get(letter, 0)
        height = round(BAR_AREA * count / tallest) if tallest else 0
        bars.append(
            {
                "letter": letter,
                "count": count,
                "x": round(i * slot + slot * 0.15, 1),
                "width": round(slot * 0.7, 1),
                "y": TOP + BAR_AREA - height,
                "height": height,
                "label_x": round(i * slot + slot / 2, 1),
                "failed": letter in ("FX", "F"),
            }
        )
    total = len(grades)
    mean_points = (
        (sum(g.points for g in grades) / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if total
        else None
    )
    mean = (Decimal(sum(scores)) / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else None
    return {
        "bars": bars,
        "total": total,
        "mean_points": mean_points,
        "mean_score": mean,
        "passed": sum(1 for g in grades if g.passed),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": TOP + BAR_AREA,
        "count_offset": 6,
        "letter_y": TOP + BAR_AREA + 18,
    }
