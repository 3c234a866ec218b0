"""The sitting's protocol (R-16.1, R-26.1): the same content as PDF (WeasyPrint, from an HTML
template) and as editable DOCX (docxtpl, from `templates_docx/protocol.docx`, built by
`docx_template.build()`), in Kazakh or Russian.

Who was present: records/presence.py, the one place that says it.
"""

from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from attestation.commissions.models import Membership, Sitting
from attestation.grading.board import document_view
from attestation.grading.deadlines import answers_close_at
from attestation.grading.models import Score
from attestation.grading.scale import grade_for
from attestation.proctoring.models import Incident, IncidentDecision
from attestation.records.content import (
    extra_time_text,
    grade_text,
    originality_text,
    university,
)
from attestation.records.presence import members_present
from attestation.records.render import document_texts, docx_finish

DOCX_TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "protocol.docx"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
R = Membership.Role


def _examinees(sitting: Sitting):
    return (
        sitting.examinees.select_related("student__user", "draw__ticket", "dossier")
        .prefetch_related(
            "draw__ticket__questions",
            Prefetch("scores", queryset=Score.objects.select_related("member")),
            "written_questions",
            "interruptions",
            Prefetch(
                "incidents",
                queryset=Incident.objects.select_related("recorded_by").prefetch_related(
                    Prefetch(
                        "decisions", queryset=IncidentDecision.objects.select_related("decided_by")
                    )
                ),
            ),
        )
        .order_by("position")
    )


def _time(value) -> str:
    return formats.time_format(timezone.localtime(value), "H:i")


def _written(q) -> str:
    """A written question (R-22.2) and the student's written answer."""
    text = _("In writing") + ": " + (f"{q.asked_for}: {q.text}" if q.asked_for else q.text)
    return text + (f" — {_('answer')}: {q.answer}" if q.answered_at else "")


def _interruption(i) -> str:
    """An interruption (R-25.1), the commission's decision and its reason."""
    text = f"{_time(i.started_at)} {_('interrupted')}"
    if i.ended_at:
        text += f"; {_time(i.ended_at)} {i.get_outcome_display()}"
    return text + (f": {i.reason}" if i.reason else "")


def _dossier_cells(e) -> dict:
    d = e._state.fields_cache.get("dossier")  # read with the list (select_related)
    return {
        "reviewer_grade": grade_text(d.reviewer_grade)
        if d and d.reviewer_grade is not None
        else "",
        "originality": originality_text(d) if d and d.originality_system else "",
    }


def protocol_context(sitting: Sitting, language: str, viewer=None) -> dict:
    """Everything the protocol shows, as strings in `language` (call inside an override).
    `viewer` is who downloads it: blind scoring holds in the document too (board.document_view);
    None is the full record."""
    examinees = list(_examinees(sitting))
    view = document_view(viewer, sitting)
    present = members_present(sitting)
    examiner_order = {m.user_id: i for i, m in enumerate(present["chair"] + present["members"])}
    starts = timezone.localtime(sitting.starts_at)
    rows = []
    for e in examinees:
        draw = getattr(e, "draw", None)
        scores = sorted(e.scores.all(), key=lambda s: (examiner_order.get(s.member_id, 99), s.pk))
        scores_visible, final_visible = view(scores)
        if not scores_visible:
            scores = []
        grade = grade_for(e.final_score) if e.final_score is not None and final_visible else None
        additional = [
            f"{s.member.display_name}: {s.additional_questions.strip()}"
            for s in scores
            if s.additional_questions.strip()
        ] + [_written(q) for q in e.written_questions.all()]
        incidents = []
        for incident in e.incidents.all():
            decisions = [
                f"{_time(d.at)} {d.get_decision_display()}: {d.reason}"
                + (f" ({d.decided_by.display_name})" if d.decided_by else "")
                for d in incident.decisions.all()
            ]
            incidents.append(
                {
                    "text": f"{_time(incident.at)} {incident.get_category_display()}"
                    + (f": {incident.note}" if incident.note else ""),
                    "decisions": decisions,
                }
            )
        rows.append(
            {
                "position": e.position,
                "full_name": e.student.full_name,
                "group": e.student.group,
                "status": str(e.get_status_display()),
                "sat": e.status not in ("absent", "absent_valid", "moved"),
                "ticket_number": draw.ticket.number if draw else None,
                "questions": [q.text for q in draw.ticket.questions.all()] if draw else [],
                "topic": e.thesis_topic,
                "supervisor": e.supervisor,
                "reviewer": e.reviewer,
                # A defence's dossier (K-8): the reviewer's grade and the originality check,
                # as the examinee's own protocol has them.
                **_dossier_cells(e),
                "extra_time": extra_time_text(e) if e.extra_minutes else "",
                "additional": additional,
                "scores": [{"name": s.member.display_name, "score": s.score} for s in scores],
                "grade": (
                    {
                        "score": grade.score,
                        "letter": grade.letter,
                        "points": formats.localize(grade.points),
                        "word": str(grade.word),
                    }
                    if grade
                    else None
                ),
                "incidents": incidents,
                "interruptions": [_interruption(i) for i in e.interruptions.all()],
            }
        )
    is_defense = sitting.form == Sitting.Form.DEFENSE
    signatures = (
        [{"role": _("Chair"), "name": m.user.display_name} for m in present["chair"]]
        + [{"role": _("Member"), "name": m.user.display_name} for m in present["members"]]
        + [
            {"role": _("Technical secretary"), "name": m.user.display_name}
            for m in present["secretaries"]
        ]
    )
    return {
        "language": language,
        "university": university(),
        "sitting": sitting,
        "title": sitting.title,
        "form": sitting.form_label,
        "commission": sitting.commission.title,
        "programme": sitting.commission.programme,
        "date": formats.date_format(starts, "DATE_FORMAT"),
        "start": _time(sitting.starts_at),
        "end": _time(answers_close_at(sitting, examinees)),
        "announced": (
            formats.date_format(timezone.localtime(sitting.announced_at), "DATETIME_FORMAT")
            if sitting.announced_at
            else ""
        ),
        "chair": [m.user.display_name for m in present["chair"]],
        "members": [m.user.display_name for m in present["members"]],
        "secretaries": [m.user.display_name for m in present["secretaries"]],
        "is_defense": is_defense,
        "rows": rows,
        "signatures": signatures,
        "labels": _labels(is_defense),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        # Absence applications and appeals: one line each; see records.appeal.
        "applications": _application_notes(sitting),
    }


def _application_notes(sitting: Sitting) -> list[str]:
    from attestation.records.appeal import sitting_application_notes

    return sitting_application_notes(sitting)


def _labels(is_defense: bool) -> dict:
    return {
        "protocol": _("Protocol of the sitting of the State Attestation Commission"),
        "commission": _("Commission"),
        "programme": _("Educational programme"),
        "sitting": _("Sitting"),
        "date": _("Date"),
        "start": _("Start"),
        "end": _("End"),
        "announced": _("Results announced"),
        "present": _("Present"),
        "chair": _("Chair"),
        "members": _("Members"),
        "secretary": _("Technical secretary"),
        "number": "№",
        "student": _("Full name, group"),
        "ticket": _("Thesis topic") if is_defense else _("Ticket and questions"),
        "ticket_no": _("Ticket № %(n)s"),
        "supervisor": _("Supervisor"),
        "reviewer": _("Reviewer"),
        "reviewer_grade": _("Reviewer's grade"),
        "extra_time": _("Extra time"),
        "originality": _("Originality check"),
        "additional": _("Additional questions"),
        "scores": _("Members' scores"),
        "grade": _("Final grade"),
        "incidents": _("Incidents and decisions"),
        "applications": _("Applications and appeals"),
        "interruptions": _("Interruptions"),
        "signatures": _("Signatures"),
        "none": "—",
    }


def _language(language: str | None) -> str:
    return language if language in LANGUAGES else settings.LANGUAGE_CODE


def protocol_pdf(sitting: Sitting, language: str = "kk", viewer=None) -> bytes:
    from weasyprint import HTML

    language = _language(language)
    with translation.override(language):
        html = render_to_string(
            "records/sitting_protocol.html", protocol_context(sitting, language, viewer)
        )
    return HTML(string=html).write_pdf()


def _cell_lines(row: dict, labels: dict) -> dict:
    """The DOCX cells as plain text; a newline becomes a line break (docxtpl)."""
    if row["topic"] or not row["ticket_number"]:
        ticket = [row["topic"] or labels["none"]]
        if row["supervisor"]:
            ticket.append(f"{labels['supervisor']}: {row['supervisor']}")
        if row["reviewer"]:
            ticket.append(f"{labels['reviewer']}: {row['reviewer']}")
        for name in ("reviewer_grade", "originality"):
            if row[name]:
                ticket.append(f"{labels[name]}: {row[name]}")
    else:
        ticket = [labels["ticket_no"] % {"n": row["ticket_number"]}]
        ticket += [f"{i}. {q}" for i, q in enumerate(row["questions"], start=1)]
    if row["extra_time"]:
        ticket.append(f"{labels['extra_time']}: {row['extra_time']}")
    grade = row["grade"]
    incidents = [f"{labels['interruptions']}: {i}" for i in row["interruptions"]]
    for incident in row["incidents"]:
        incidents.append(incident["text"])
        incidents += [f"— {d}" for d in incident["decisions"]]
    return {
        "position": row["position"],
        "student": f"{row['full_name']}\n{row['group']}"
        + ("" if row["sat"] else f"\n{row['status']}"),
        "ticket": "\n".join(ticket),
        "additional": "\n".join(row["additional"]) or labels["none"],
        "scores": "\n".join(f"{s['name']}: {s['score']}" for s in row["scores"]) or labels["none"],
        "grade": (
            f"{grade['score']} — {grade['letter']} ({grade['points']})\n{grade['word']}"
            if grade
            else row["status"]
        ),
        "incidents": "\n".join(incidents) or labels["none"],
    }


def protocol_docx(sitting: Sitting, language: str = "kk", viewer=None) -> bytes:
    from docxtpl import DocxTemplate

    language = _language(language)
    with translation.override(language):
        context = protocol_context(sitting, language, viewer)
        labels = context["labels"]
        context["cells"] = [_cell_lines(row, labels) for row in context["rows"]]
        context["present_lines"] = (
            [f"{labels['chair']}: {name}" for name in context["chair"]]
            + [f"{labels['members']}: {', '.join(context['members'])}"] * bool(context["members"])
            + [f"{labels['secretary']}: {name}" for name in context["secretaries"]]
        )
        context.pop("sitting")
        document = DocxTemplate(DOCX_TEMPLATE)
        document.render(document_texts(context), autoescape=True)
        title = f"{labels['protocol']} · {context['title']}"
        docx_finish(document.docx, title=title, language=language)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
