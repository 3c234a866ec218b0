"""The chair's report after the SAC (K-15), for the Academic Council: results by grade with
their chart, diplomas with honours, failures, and the chair's remarks on the quality of
training and recommendations.

A generated document, not a numbered protocol: the figures are read from the record (the
announced sittings' final grades, after any appeal) every time it is made, and only the
chair's two texts are stored (`ChairReport`). The record it summarises is already fixed in
the signed, numbered protocols (K-5, K-6); the report is the chair's account of it to the
council, signed by the chair on the printed copy. Content is plain data in the report's
language (content.py's document dict), rendered to PDF and DOCX by render.py."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.grading.results import distribution
from attestation.grading.scale import SCALE, grade_for
from attestation.records.content import NONE, _date, _meta, university
from attestation.records.models import ChairReport

S = Examinee.Status
# Absence for a valid reason: postponed to a later sitting (K-12), not a failure.
POSTPONED = (S.ABSENT_VALID, S.MOVED)


@dataclass
class Figures:
    """What the report says, before any language: read from the announced sittings."""

    sittings: list[dict] = field(default_factory=list)
    finals: list[int] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    postponed: list[dict] = field(default_factory=list)
    honours: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sittings


def report_sittings(commission: Commission):
    """The sittings the report covers: those whose results are announced (R-16.1)."""
    return (
        commission.sittings.filter(announced_at__isnull=False)
        .exclude(status=Sitting.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


def _person(examinee: Examinee, sitting: Sitting) -> dict:
    return {
        "examinee_id": examinee.pk,
        "student_id": examinee.student_id,
        "full_name": examinee.student.full_name,
        "group": examinee.student.group,
        "sitting": sitting,
    }


def figures_read(commission: Commission) -> Figures:
    """Final grades, failures (K-11: an unsatisfactory grade, a no-show without a valid
    reason, an attestation stopped for a violation) and postponements (K-12), per sitting."""
    figures = Figures()
    for sitting in report_sittings(commission):
        examinees = sitting.examinees.select_related("student__user").order_by("position")
        row = {"sitting": sitting, "examinees": 0, "graded": 0, "passed": 0, "failed": 0}
        row |= {"absent": 0, "postponed": 0}
        for e in examinees:
            row["examinees"] += 1
            if e.status in POSTPONED:
                row["postponed"] += 1
                figures.postponed.append(_person(e, sitting) | {"moved_to": e.moved_to_id})
                continue
            if e.final_score is not None:
                row["graded"] += 1
                figures.finals.append(e.final_score)
                if grade_for(e.final_score).passed:
                    row["passed"] += 1
                    continue
                row["failed"] += 1
                figures.failures.append(_person(e, sitting) | {"score": e.final_score})
            elif e.status == S.ABSENT:
                row["absent"] += 1
                figures.failures.append(_person(e, sitting) | {"reason": "absent"})
            elif e.status == S.TERMINATED:
                row["failed"] += 1
                figures.failures.append(_person(e, sitting) | {"reason": "terminated"})
        figures.sittings.append(row)
    figures.honours = honours_read(commission)
    return figures


def honours_read(commission: Commission) -> list[dict]:
    """The graduates awarded a diploma with honours (K-10). The rule is the graduate's
    (its own module); until it is wired in, nobody is listed."""
    return []


def remarks_of(commission: Commission) -> ChairReport:
    return ChairReport.objects.filter(commission=commission).first() or ChairReport(
        commission=commission
    )


def _percent(part: int, whole: int) -> str:
    if not whole:
        return NONE
    value = (Decimal(part * 100) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{formats.localize(value)} %"


def _chair(commission: Commission) -> str:
    chair = commission.memberships.filter(role=Membership.Role.CHAIR).select_related("user")
    return chair[0].user.display_name if chair else NONE


def _failure_reason(item: dict) -> str:
    if "score" in item:
        g = grade_for(item["score"])
        return f"{g.score} — {g.letter} ({g.word})"
    if item["reason"] == "absent":
        return _("Did not appear without a valid reason")
    return _("Attestation stopped for a violation")


def _sitting_name(sitting: Sitting) -> str:
    return f"{sitting.title} · {sitting.form_label} · {_date(sitting.starts_at)}"


def _grades_section(figures: Figures) -> dict:
    chart = distribution(figures.finals)
    total = chart["total"]
    rows = [
        [letter, formats.localize(points), str(word), str(bar["count"])]
        + [_percent(bar["count"], total)]
        for (_lowest, letter, points, word), bar in zip(SCALE, chart["bars"], strict=True)
    ]
    summary = (
        [
            _("Graded: %(total)s; passed: %(passed)s (%(share)s).")
            % {
                "total": total,
                "passed": chart["passed"],
                "share": _percent(chart["passed"], total),
            },
            _("Mean score: %(score)s; mean grade points: %(points)s.")
            % {
                "score": formats.localize(chart["mean_score"]),
                "points": formats.localize(chart["mean_points"]),
            },
        ]
        if total
        else [_("No final grades yet.")]
    )
    words: dict[str, int] = {}
    for (_lowest, _letter, _points, word), bar in zip(SCALE, chart["bars"], strict=True):
        words[str(word)] = words.get(str(word), 0) + bar["count"]
    if total:
        summary.append(
            "; ".join(f"{w}: {n} ({_percent(n, total)})" for w, n in words.items()) + "."
        )
    return {
        "heading": _("Results by grade"),
        "chart": chart,
        "lines": summary,
        "columns": [
            (_("Letter"), 30),
            (_("Grade points"), 30),
            (_("Traditional grade"), 60),
            (_("Number"), 30),
            (_("Share"), 30),
        ],
        "rows": rows,
    }


def _sittings_section(figures: Figures) -> dict:
    return {
        "heading": _("Sittings"),
        "columns": [
            (_("Sitting"), 48),
            (_("Examinees"), 27),
            (_("Graded"), 21),
            (_("Passed"), 21),
            (_("Failed"), 21),
            (_("No-shows"), 21),
            (_("Postponed"), 21),
        ],
        "rows": [
            [_sitting_name(r["sitting"])]
            + [str(r[k]) for k in ("examinees", "graded", "passed", "failed", "absent")]
            + [str(r["postponed"])]
            for r in figures.sittings
        ],
    }


def _people_section(
    heading: str, items: list[dict], last: tuple[str, Callable[[dict], str]]
) -> dict:
    label, value = last
    return {
        "heading": heading,
        "columns": [
            ("№", 10),
            (_("Full name"), 50),
            (_("Group"), 25),
            (_("Sitting"), 50),
            (label, 45),
        ],
        "rows": [
            [str(n), i["full_name"], i["group"] or NONE, _sitting_name(i["sitting"]), value(i)]
            for n, i in enumerate(items, start=1)
        ],
    }


def _honours_section(figures: Figures) -> dict:
    return {
        "heading": _("Diplomas with honours"),
        "columns": [("№", 10), (_("Full name"), 70), (_("Group"), 40), (_("GPA"), 60)],
        "rows": [
            [str(n), h["full_name"], h["group"] or NONE, formats.localize(h["gpa"])]
            for n, h in enumerate(figures.honours, start=1)
        ],
    }


def report_content(commission: Commission, language: str) -> dict:
    """The report as a document dict (content.py), in the active language `language`."""
    figures = figures_read(commission)
    remarks = remarks_of(commission)
    title = _("Report of the chair of the State Attestation Commission")
    order = NONE
    if commission.order_number:
        order = f"№ {commission.order_number}" + (
            f", {formats.date_format(commission.order_date, 'DATE_FORMAT')}"
            if commission.order_date
            else ""
        )
    fields = [
        (_("Commission"), commission.title),
        (_("Educational programme"), commission.programme or NONE),
        (_("Year"), str(commission.year)),
        (_("Chair"), _chair(commission)),
        (_("Approving order"), order),
    ]
    sections = [
        _grades_section(figures),
        _sittings_section(figures),
        _honours_section(figures),
        _people_section(_("Failures"), figures.failures, (_("Grade or reason"), _failure_reason)),
        _people_section(
            _("Postponed for a valid reason"),
            figures.postponed,
            (_("Decision"), lambda i: _("Absent for a valid reason")),
        ),
        {
            "heading": _("Remarks on the quality of training"),
            "lines": [remarks.quality.strip() or NONE],
        },
        {"heading": _("Recommendations"), "lines": [remarks.recommendations.strip() or NONE]},
    ]
    return {
        "title": title,
        "number_line": _date(timezone.now()),
        "university": university(),
        "fields": fields,
        "sections": sections,
        "signatures": [{"role": _("Chair"), "name": _chair(commission)}],
        "meta": _meta(f"{title}: {commission.title}", language),
    }


def report_render(commission: Commission, fmt: str, language: str) -> bytes:
    """The report as PDF or DOCX in `language` (kk, ru or en), made now."""
    from attestation.records import render

    with translation.override(language):
        data = report_content(commission, language)
        return render.pdf_render(data) if fmt == "pdf" else render.docx_render(data)
