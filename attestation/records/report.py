"""The chair's report after the SAC (K-15), for the Academic Council: results by grade with
their chart, diplomas with honours, failures, and the chair's remarks on the quality of
training and recommendations.

A generated document, not a numbered protocol: the figures are read from the record (the
announced sittings' final grades, after any appeal) every time it is made, and only the
chair's two texts are stored (`ChairReport`). The record it summarises is already fixed in
the signed, numbered protocols (K-5, K-6); the report is the chair's account of it to the
council, signed by the chair on the printed copy. Content is plain data in the report's
language (content.py's document dict), rendered to PDF and DOCX by render.py."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from attestation.commissions.models import Commission, Membership, Sitting
from attestation.grading.results import distribution
from attestation.grading.scale import SCALE
from attestation.graduates.honours import (
    ABSENT,
    ENDS_STUDIES,
    FAILED,
    OUTCOME_LABELS,
    OUTCOMES,
    PASSED,
    POSTPONED,
)
from attestation.graduates.roster import commission_graduates
from attestation.records.content import NONE, _date, _meta, university
from attestation.records.models import ChairReport
from attestation.records.render import TEXT_WIDTH_MM


@dataclass
class Figures:
    """What the report says, before any language: read from the announced sittings, with
    each student's outcome and honours from the graduate's rules (graduates.honours)."""

    sittings: list[dict] = field(default_factory=list)
    finals: list[int] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    failures: list[dict] = field(default_factory=list)
    postponed: list[dict] = field(default_factory=list)
    honours: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.sittings

    @property
    def outcome_rows(self) -> list[tuple[str, int]]:
        return [(str(OUTCOME_LABELS[o]), n) for o, n in self.outcomes.items()]


def report_sittings(commission: Commission):
    """The sittings the report covers: those whose results are announced (R-16.1)."""
    return (
        commission.sittings.filter(announced_at__isnull=False)
        .exclude(status=Sitting.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


def _person(graduate, attempt=None) -> dict:
    student = graduate.student
    return {
        "student_id": student.pk,
        "full_name": graduate.full_name,
        "group": student.group,
        "outcome": graduate.outcome,
        "attempt": attempt,
        "sitting": attempt.title if attempt else "",
    }


def figures_read(commission: Commission) -> Figures:
    """Per announced sitting, how its examinees came out (passed, failed, no-show, postponed);
    every final grade for the chart; per student the outcome (K-11, K-12) and the diploma with
    honours (K-10), as `graduates.roster` decides them from the announced grades only."""
    figures = Figures()
    rows = {
        s.pk: {"sitting": s, "examinees": 0, "graded": 0} | dict.fromkeys(OUTCOMES, 0)
        for s in report_sittings(commission)
    }
    figures.sittings = list(rows.values())
    figures.outcomes = dict.fromkeys(OUTCOMES, 0)
    for graduate in commission_graduates(commission, announced_only=True):
        announced = [a for a in graduate.record.attempts if a.sitting_id in rows]
        if not announced:
            continue
        figures.outcomes[graduate.outcome] += 1
        for attempt in announced:
            row = rows[attempt.sitting_id]
            row["examinees"] += 1
            row[attempt.result] += 1
            if attempt.score is not None:
                row["graded"] += 1
                figures.finals.append(attempt.score)
        if graduate.outcome in ENDS_STUDIES:
            figures.failures += [
                _person(graduate, a) for a in announced if a.result in ENDS_STUDIES
            ]
        elif graduate.outcome == POSTPONED:
            figures.postponed += [_person(graduate, a) for a in announced if a.result == POSTPONED]
        if graduate.honours.eligible:
            figures.honours.append(
                _person(graduate)
                | {"gpa": graduate.record.gpa, "letters": [a.grade.letter for a in graduate.finals]}
            )
    return figures


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
    grade = item["attempt"].grade
    if grade is not None:
        return f"{grade.score} — {grade.letter} ({grade.word})"
    return str(OUTCOME_LABELS[item["attempt"].result])


def _attempt_name(item: dict) -> str:
    return f"{item['attempt'].title} · {item['attempt'].label}"


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
        "compact": True,  # twelve short rows: the report fits two pages
        "chart": chart,
        "lines": summary,
        "columns": [
            (_("Letter"), 30),
            (_("Grade points"), 30),
            (_("Traditional grade"), 60),
            (pgettext("count", "Number"), 30),
            (_("Share"), 30),
        ],
        "rows": rows,
    }


SITTINGS_A_TABLE = 4
LABEL_MM = 48


def _sittings_sections(figures: Figures) -> list[dict]:
    """One column per sitting, one row per count: seven narrow columns broke the Kazakh and
    Russian headings mid-word on A4 («Қатыспағандар», «Экзаменуемые»). Up to four sittings a
    table; a commission rarely has more (the exam, the defence, a reserve day)."""
    measures = [
        (_("Examinees"), "examinees"),
        (_("Graded"), "graded"),
        (_("Passed"), PASSED),
        (_("Failed"), FAILED),
        (_("No-shows"), ABSENT),
        (_("Postponed"), POSTPONED),
    ]
    chunks = [
        figures.sittings[i : i + SITTINGS_A_TABLE]
        for i in range(0, len(figures.sittings), SITTINGS_A_TABLE)
    ] or [[]]
    sections = []
    for chunk in chunks:
        width = round((TEXT_WIDTH_MM - LABEL_MM) / max(len(chunk), 1), 1)
        sections.append(
            {
                "heading": _("Sittings"),
                "columns": [(_("Sitting"), LABEL_MM)]
                + [(_sitting_name(r["sitting"]), width) for r in chunk],
                "rows": [[label] + [str(r[key]) for r in chunk] for label, key in measures]
                if chunk
                else [],
            }
        )
    return sections


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
            [str(n), i["full_name"], i["group"] or NONE, _attempt_name(i), value(i)]
            for n, i in enumerate(items, start=1)
        ],
    }


def _honours_section(figures: Figures) -> dict:
    return {
        "heading": _("Diplomas with honours"),
        "columns": [
            ("№", 10),
            (_("Full name"), 70),
            (_("Group"), 35),
            (_("GPA"), 25),
            (_("Grades"), 40),
        ],
        "rows": [
            [str(n), h["full_name"], h["group"] or NONE, formats.localize(h["gpa"])]
            + [", ".join(h["letters"])]
            for n, h in enumerate(figures.honours, start=1)
        ],
    }


def _outcomes_section(figures: Figures) -> dict:
    """How many students came out how (graduates.honours: the worst of their attempts)."""
    total = sum(figures.outcomes.values())
    return {
        "heading": _("Outcomes of the students"),
        "columns": [(_("Outcome"), 100), (_("Students"), 40), (_("Share"), 40)],
        "rows": [
            [str(OUTCOME_LABELS[o]).capitalize(), str(n), _percent(n, total)]
            for o, n in figures.outcomes.items()
        ],
    }


def report_content(commission: Commission, language: str, number: int | None = None) -> dict:
    """The report as a document dict (content.py), in the active language `language`; a
    signed copy carries its `number`."""
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
        *_sittings_sections(figures),
        _outcomes_section(figures),
        _honours_section(figures),
        _people_section(_("Failures"), figures.failures, (_("Grade or reason"), _failure_reason)),
        _people_section(
            _("Postponed for a valid reason"),
            figures.postponed,
            (_("Decision"), lambda i: str(OUTCOME_LABELS[POSTPONED]).capitalize()),
        ),
        {
            "heading": _("Remarks on the quality of training"),
            "lines": [remarks.quality.strip() or NONE],
        },
        {"heading": _("Recommendations"), "lines": [remarks.recommendations.strip() or NONE]},
    ]
    return {
        "title": title,
        "number_line": (f"№ {number} · " if number else "") + _date(timezone.now()),
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


def content_hash(data: dict) -> str:
    """The SHA-256 of what a copy says (figures, remarks, language), leaving out the day it
    is made: the same report signed twice is one copy."""
    said = {k: v for k, v in data.items() if k not in ("number_line", "meta")}
    said["language"] = data["meta"]["language"]
    text = json.dumps(said, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def copy_render(commission: Commission, language: str, number: int) -> dict:
    """A signed copy's bytes and hashes, made before its transaction (WeasyPrint takes a
    second; no write lock is held meanwhile)."""
    from attestation.records import render

    with translation.override(language):
        data = report_content(commission, language, number=number)
        pdf, docx = render.pdf_render(data), render.docx_render(data)
    return {
        "content_sha256": content_hash(data),
        "pdf": pdf,
        "docx": docx,
        "sha256": hashlib.sha256(pdf).hexdigest(),
        "docx_sha256": hashlib.sha256(docx).hexdigest(),
    }
