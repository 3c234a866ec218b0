"""The appeal protocol: the appeal commission's decision on one appeal, as PDF (WeasyPrint,
from `records/appeal_protocol.html`) and DOCX (python-docx, built here: one short
document, no template to keep in step), in Kazakh or Russian. Reuses grading's helpers.
Also the lines the sitting's protocol shows about absence applications (R-17.1)."""

from io import BytesIO

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from attestation.applications.models import Application
from attestation.commissions.models import Membership
from attestation.grading.scale import grade_for
from attestation.records.content import university
from attestation.records.render import (
    TEXT_WIDTH_MM,
    document_texts,
    docx_finish,
    docx_page_numbers,
    docx_page_setup,
    docx_table_widths,
)
from attestation.records.sitting import _language

R = Membership.Role


def _grade(score) -> str:
    if score is None:
        return "—"
    g = grade_for(score)
    return f"{g.score} — {g.letter} ({formats.localize(g.points)}, {g.word})"


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def appeal_protocol_context(application: Application) -> dict:
    """Everything the appeal protocol shows, as strings (call inside a language override)."""
    examinee = application.examinee
    sitting = examinee.sitting
    appeal = sitting.commission.appeal_commission
    memberships = (
        list(appeal.memberships.select_related("user").order_by("role", "user__full_name"))
        if appeal
        else []
    )
    kept = application.status == Application.Status.REJECTED
    return {
        "university": university(),
        "appeal_commission": appeal.title if appeal else "",
        "commission": sitting.commission.title,
        "sitting": f"{sitting.title} ({sitting.form_label})",
        "sitting_date": _when(sitting.starts_at),
        "student": examinee.student.full_name,
        "group": examinee.student.group,
        "submitted": _when(application.submitted_at),
        "decided": _when(application.decided_at),
        "text": application.text,
        "old_grade": _grade(application.old_score),
        "new_grade": _grade(application.new_score),
        "decision": _("The grade is kept.") if kept else _("The grade is changed."),
        "reason": application.decision_reason,
        "decided_by": application.decided_by.display_name if application.decided_by else "",
        "signatures": [
            {"role": str(m.get_role_display()).capitalize(), "name": m.user.display_name}
            for m in memberships
            if m.role in (R.CHAIR, R.MEMBER)
        ],
        "labels": {
            "protocol": _("Protocol of the appeal commission"),
            "appeal_commission": _("Appeal commission"),
            "commission": _("State Attestation Commission"),
            "sitting": _("Sitting"),
            "student": _("Student"),
            "group": _("Group"),
            "submitted": _("Appeal filed"),
            "text": _("The appeal"),
            "old_grade": _("Grade before the appeal"),
            "new_grade": _("Grade after the appeal"),
            "decision": _("Decision"),
            "reason": _("Reason"),
            "decided": _("Decided"),
            "signatures": _("Signatures"),
        },
    }


def appeal_protocol_pdf(application: Application, language: str = "kk") -> bytes:
    from weasyprint import HTML

    language = _language(language)
    with translation.override(language):
        context = appeal_protocol_context(application) | {
            "language": language,
            "created": timezone.now().replace(microsecond=0).isoformat(),
        }
        html = render_to_string("records/appeal_protocol.html", context)
    return HTML(string=html).write_pdf()


def appeal_protocol_docx(application: Application, language: str = "kk") -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    language = _language(language)
    with translation.override(language):
        c = document_texts(appeal_protocol_context(application))
    labels = c["labels"]
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "DejaVu Sans")
    for text, size in ((c["university"], 12), (labels["protocol"], 13)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = True, Pt(size)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in (
        ("appeal_commission", c["appeal_commission"]),
        ("commission", c["commission"]),
        ("sitting", f"{c['sitting']}, {c['sitting_date']}"),
        ("student", c["student"]),
        ("group", c["group"]),
        ("submitted", c["submitted"]),
        ("text", c["text"]),
        ("old_grade", c["old_grade"]),
        ("new_grade", c["new_grade"]),
        ("decision", c["decision"]),
        ("reason", c["reason"]),
        ("decided", c["decided"]),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = labels[key], value
        cells[0].paragraphs[0].runs[0].bold = True
    document.add_paragraph()
    document.add_paragraph().add_run(f"{labels['signatures']}:").bold = True
    for s in c["signatures"]:
        document.add_paragraph(f"{s['role']}  ______________________  {s['name']}")
    # A4 (python-docx's default is US Letter), the language, the metadata, "1 / 3" and a grid
    # equal to the cells (render.py).
    docx_page_setup(document)
    docx_page_numbers(document)
    docx_table_widths(table, [55, TEXT_WIDTH_MM - 55])
    docx_finish(document, title=f"{labels['protocol']} · {c['student']}", language=language)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def sitting_application_notes(sitting) -> list[str]:
    """For the sitting's protocol (R-17.1): who was absent for a valid reason and where they
    went, and appeals decided. Call inside the protocol's language override."""
    notes = []
    # A repeat attestation (K-11) belongs to the later sitting it leads to, not to this record.
    rows = Application.objects.filter(examinee__sitting=sitting).exclude(
        status=Application.Status.SUBMITTED
    )
    rows = rows.exclude(kind=Application.Kind.REPEAT)
    for a in rows.select_related("examinee__student", "new_sitting").order_by("decided_at"):
        name = f"{a.examinee.position}. {a.examinee.student.full_name}"
        if a.kind == Application.Kind.ABSENCE and a.status == Application.Status.APPROVED:
            where = (
                f"{a.new_sitting.title}, {_when(a.new_sitting.starts_at)}" if a.new_sitting else ""
            )
            notes.append(
                _("%(name)s: absent for a valid reason (%(reason)s); moved to %(where)s.")
                % {"name": name, "reason": a.get_reason_display(), "where": where}
            )
        elif a.kind == Application.Kind.ABSENCE:
            notes.append(
                _("%(name)s: absence application rejected: %(why)s")
                % {"name": name, "why": a.decision_reason}
            )
        else:
            notes.append(
                _("%(name)s: appeal decided %(when)s: %(old)s → %(new)s. %(why)s")
                % {
                    "name": name,
                    "when": _when(a.decided_at),
                    "old": _grade(a.old_score),
                    "new": _grade(a.new_score),
                    "why": a.decision_reason,
                }
            )
    arrivals = Application.objects.filter(
        new_sitting=sitting, status=Application.Status.APPROVED
    ).select_related("examinee__student", "examinee__sitting", "examinee__moved_to")
    for a in arrivals.order_by("decided_at"):
        notes.append(
            _("%(name)s: moved here from %(sitting)s (absent for a valid reason).")
            % {
                "name": a.examinee.student.full_name,
                "sitting": f"{a.examinee.sitting.title}, {_when(a.examinee.sitting.starts_at)}",
            }
        )
    return notes
