"""The content of the examinee, degree and appeal protocols, built once as plain data (strings
in the protocol's language) and rendered to PDF and DOCX from it (render.py), so the two never
disagree (STYLE.md, "Documents"). The sitting protocol keeps its own table (sitting.py).

A document is a dict: `title`, `number_line`, `university`, `fields` [(label, value)],
`sections` [{"heading", "lines"} or {"heading", "columns": [(label, mm)], "rows": [[...]]}],
`signatures` [{"role", "name"}], and `meta` {title, author, language}."""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.commissions.models import Sitting
from attestation.grading.board import document_view
from attestation.grading.scale import grade_for
from attestation.records.models import Protocol
from attestation.records.presence import members_present, recusals_and_dissents

NONE = "—"
LANGUAGE_TAGS = {"kk": "kk-KZ", "ru": "ru-RU", "en": "en-GB"}


def university() -> str:
    """The university's name (settings.UNIVERSITY_NAME, required in production)."""
    return settings.UNIVERSITY_NAME


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT") if value else ""


def _time(value) -> str:
    return formats.time_format(timezone.localtime(value), "H:i") if value else NONE


def grade_text(score) -> str:
    if score is None:
        return NONE
    g = grade_for(score)
    return f"{g.score} — {g.letter} ({formats.localize(g.points)}, {g.word})"


def _number_line(protocol: Protocol) -> str:
    return f"№ {protocol.number}"


def _present_lines(present: dict) -> list[str]:
    lines = [f"{_('Chair')}: {m.user.display_name}" for m in present["chair"]]
    if present["members"]:
        names = ", ".join(m.user.display_name for m in present["members"])
        lines.append(f"{_('Members')}: {names}")
    lines += [f"{_('Technical secretary')}: {m.user.display_name}" for m in present["secretaries"]]
    return lines


def _signatures(present: dict) -> list[dict]:
    return (
        [{"role": _("Chair"), "name": m.user.display_name} for m in present["chair"]]
        + [{"role": _("Member"), "name": m.user.display_name} for m in present["members"]]
        + [
            {"role": _("Technical secretary"), "name": m.user.display_name}
            for m in present["secretaries"]
        ]
    )


def _meta(title: str, language: str) -> dict:
    return {
        "title": title,
        "author": university(),
        "language": LANGUAGE_TAGS.get(language, language),
    }


def _amends_lines(protocol: Protocol) -> list[str]:
    if protocol.amends is None:
        return []
    old = protocol.amends
    line = _("This protocol amends protocol № %(number)s of %(date)s.") % {
        "number": old.number,
        "date": _date(old.signed_at or old.created_at),
    }
    return [line] + ([f"{_('Reason')}: {protocol.reason}"] if protocol.reason else [])


def decided_score(examinee):
    """The grade of the commission's own decision: before any appeal changed it (the appeal
    protocol records the change; the examinee protocol stays what the commission decided)."""
    from attestation.applications.models import Application

    appeal = (
        Application.objects.filter(
            examinee=examinee, kind=Application.Kind.APPEAL, old_score__isnull=False
        )
        .exclude(status=Application.Status.SUBMITTED)
        .order_by("decided_at")
        .first()
    )
    return appeal.old_score if appeal is not None else examinee.final_score


def protocol_score(protocol: Protocol):
    """The grade this examinee protocol records: once signed, the one kept; a correction, the
    grade now; the first protocol, the commission's own decision (before any appeal)."""
    if protocol.signed and protocol.score is not None:
        return protocol.score
    if protocol.amends_id is not None:
        return protocol.examinee.final_score
    return decided_score(protocol.examinee)


def _defense_lines(e, language: str) -> list[str]:
    """The defence's record (K-5): topic, supervisor, reviewer and their grade, the
    originality check (K-8), as the dossier has them."""
    from attestation.defense.dossier import dossier_of, over_threshold

    d = dossier_of(e)
    title = (d.title_ru if d and language == "ru" and d.title_ru else "") or e.thesis_topic
    reviewer = e.reviewer or NONE
    if d and d.reviewer_organisation:
        reviewer = f"{reviewer}, {d.reviewer_organisation}"
    lines = [
        title or NONE,
        f"{_('Supervisor')}: {e.supervisor or NONE}",
        f"{_('Reviewer')}: {reviewer}",
        _("Reviewer's grade") + f": {grade_text(d.reviewer_grade if d else None)}",
        f"{_('Originality check')}: {originality_text(d)}",
    ]
    if d and d.department_decision:
        lines.append(
            _("Department's decision")
            + f": {d.get_department_decision_display()}"
            + (f" ({_date(d.decided_at)})" if d.decided_at else "")
        )
    elif d and over_threshold(d):
        lines.append(_("Department's decision") + f": {NONE}")
    return lines


def extra_time_text(e) -> str:
    """«30 min: a medical certificate» — the extra writing time given (K-14)."""
    text = _("%(minutes)s min") % {"minutes": e.extra_minutes}
    return f"{text}: {e.extra_reason}" if e.extra_reason else text


def _percent(value) -> str:
    if value is None:
        return NONE
    digits = format(value.normalize(), "f")  # 12.50 → "12.5", 10.00 → "10"
    return digits.replace(".", formats.get_format("DECIMAL_SEPARATOR")) + "%"


def originality_text(d) -> str:
    """«StrikePlagiarism: КП1 12%, КП2 1%» or «Antiplagiat: similarity 18%»."""
    if d is None or not d.originality_system:
        return NONE
    if d.originality_system == d.System.STRIKE:
        measured = (
            f"{_('coefficient 1')} {_percent(d.similarity_1)}, "
            f"{_('coefficient 2')} {_percent(d.similarity_2)}"
        )
    else:
        measured = f"{_('similarity')} {_percent(d.similarity)}"
    return f"{d.get_originality_system_display()}: {measured}"


def examinee_content(protocol: Protocol, language: str, viewer=None) -> dict:
    """The examinee protocol (K-5): exam or defence, one examinee."""
    e = (
        type(protocol.examinee)
        .objects.select_related("student__user", "sitting__commission", "draw__ticket")
        .prefetch_related("draw__ticket__questions", "scores__member", "written_questions")
        .get(pk=protocol.examinee_id)
    )
    sitting = e.sitting
    is_defense = sitting.form == Sitting.Form.DEFENSE
    present = members_present(sitting, e)
    scores = list(e.scores.all())
    _scores_visible, final_visible = document_view(viewer, sitting)(scores)
    draw = getattr(e, "draw", None)
    started = (draw.drawn_at if draw else None) or e.questioning_started_at or e.admitted_at
    ended = e.questioning_ended_at or e.submitted_at or e.final_set_at
    title = (
        _("Protocol of the State Attestation Commission on the defence")
        if is_defense
        else _("Protocol of the State Attestation Commission on the examination")
    )
    fields = [
        (_("Commission"), sitting.commission.title),
        (_("Educational programme"), sitting.commission.programme or NONE),
        (_("Sitting"), f"{sitting.title} ({sitting.form_label})"),
        (_("Date"), _date(sitting.starts_at)),
        (_("Start"), _time(started)),
        (_("End"), _time(ended)),
        (_("Student"), e.student.full_name),
        (_("Group"), e.student.group or NONE),
    ]
    if e.extra_minutes:  # an accommodation (K-14) is part of the record
        fields.append((_("Extra time"), extra_time_text(e)))
    sections = [{"heading": _("Present"), "lines": _present_lines(present)}]
    if is_defense:
        sections.append({"heading": _("Thesis topic"), "lines": _defense_lines(e, language)})
    elif draw:
        questions = [f"{q.position}. {q.text}" for q in draw.ticket.questions.all()]
        sections.append(
            {
                "heading": _("Ticket № %(n)s") % {"n": draw.ticket.number},
                "lines": questions or [NONE],
            }
        )
    asked = [
        f"{s.member.display_name}: {s.additional_questions.strip()}"
        for s in sorted(scores, key=lambda s: s.member.display_name)
        if s.additional_questions.strip()
    ] + [
        f"{q.asked_for or _('In writing')}: {q.text}"
        + (f" — {_('answer')}: {q.answer}" if q.answered_at else "")
        for q in e.written_questions.all()
    ]
    sections.append(
        {"heading": _("Additional questions and who asked them"), "lines": asked or [NONE]}
    )
    sections.append(
        {
            "heading": _("Characterisation of the answer"),
            "lines": [protocol.characterisation.strip() or NONE],
        }
    )
    score = protocol_score(protocol) if final_visible else None
    grade = grade_for(score) if score is not None else None
    sections.append(
        {
            "heading": _("Grade"),
            "lines": (
                [
                    f"{_('Score, %')}: {grade.score}",
                    f"{_('Letter')}: {grade.letter}",
                    f"{_('Grade points')}: {formats.localize(grade.points)}",
                    f"{_('Traditional grade')}: {grade.word}",
                ]
                if grade
                else [NONE]
            ),
        }
    )
    opinions = recusals_and_dissents(e)
    sections.append({"heading": _("Dissenting opinions"), "lines": opinions["dissents"] or [NONE]})
    sections.append({"heading": _("Recusals"), "lines": opinions["recusals"] or [NONE]})
    amends = _amends_lines(protocol)
    if amends:
        sections.insert(0, {"heading": _("Correction"), "lines": amends})
    return {
        "title": title,
        "number_line": _number_line(protocol),
        "university": university(),
        "fields": fields,
        "sections": sections,
        "signatures": _signatures(present),
        "meta": _meta(f"{title} {_number_line(protocol)}", language),
    }


def _degree_decision(graduate, grade) -> tuple[str, str]:
    """`(code, text)`: awarded (with honours, K-10) when every part is passed; not when this
    defence or any part failed or was missed without a valid reason (K-11); else not yet."""
    from attestation.graduates.honours import ENDS_STUDIES, PASSED

    if graduate is None or not grade.passed or graduate.outcome in ENDS_STUDIES:
        return "not_awarded", _("Not awarded")
    if graduate.outcome != PASSED:
        return "pending", _("Not decided yet: the results are not complete")
    if graduate.honours.eligible:
        return "honours", _("Awarded the degree and the diploma with honours")
    return "awarded", _("Awarded the degree and the diploma")


def degree_content(protocol: Protocol, language: str, viewer=None) -> dict:
    """The protocol on awarding the degree (K-5): who is awarded the degree and the diploma,
    and who with honours (K-10, over all the student's grades in the commission: the
    graduates' rules), with the GPA the decision read."""
    from attestation.graduates.roster import commission_graduates

    sitting = protocol.sitting
    present = members_present(sitting)
    examinees = sitting.examinees.select_related("student__user").order_by("position")
    view = document_view(viewer, sitting)
    graduates = {g.student.pk: g for g in commission_graduates(sitting.commission)}
    rows, honours, awarded = [], [], []
    for e in examinees.prefetch_related("scores"):
        if e.final_score is None or not view(list(e.scores.all()))[1]:
            continue
        grade = grade_for(e.final_score)
        graduate = graduates.get(e.student_id)
        code, decision = _degree_decision(graduate, grade)
        gpa = e.student.gpa
        rows.append(
            [
                str(len(rows) + 1),
                e.student.full_name,
                e.student.group or NONE,
                grade_text(e.final_score),
                formats.localize(gpa) if gpa is not None else NONE,
                decision,
            ]
        )
        if code in ("honours", "awarded"):
            (honours if code == "honours" else awarded).append(e.student.full_name)
    title = _("Protocol on awarding the degree")
    return {
        "title": title,
        "number_line": _number_line(protocol),
        "university": university(),
        "fields": [
            (_("Commission"), sitting.commission.title),
            (_("Educational programme"), sitting.commission.programme or NONE),
            (_("Sitting"), f"{sitting.title} ({sitting.form_label})"),
            (_("Date"), _date(sitting.announced_at or sitting.starts_at)),
        ],
        "sections": [
            {"heading": _("Present"), "lines": _present_lines(present)},
            {
                "heading": _("Decision"),
                "columns": [
                    ("№", 8),
                    (_("Full name"), 48),
                    (_("Group"), 22),
                    (_("Grade"), 40),
                    (_("GPA"), 14),
                    (_("Decision"), 48),
                ],
                "rows": rows,
            },
            {
                "heading": _("Awarded the degree and the diploma with honours"),
                "lines": honours or [NONE],
            },
            {"heading": _("Awarded the degree and the diploma"), "lines": awarded or [NONE]},
        ],
        "signatures": _signatures(present),
        "meta": _meta(f"{title} {_number_line(protocol)}", language),
    }


def appeal_content(protocol: Protocol, language: str, viewer=None) -> dict:
    """The appeal protocol (K-13): numbered, naming the examinee protocol it amends."""
    from attestation.records.appeal import appeal_protocol_context

    c = appeal_protocol_context(protocol.application)
    labels = c["labels"]
    amends = protocol.amends
    fields = [
        (labels["appeal_commission"], c["appeal_commission"] or NONE),
        (labels["commission"], c["commission"]),
        (labels["sitting"], f"{c['sitting']}, {c['sitting_date']}"),
        (labels["student"], c["student"]),
        (labels["group"], c["group"] or NONE),
        (_("Examinee protocol"), f"№ {amends.number}" if amends else NONE),
        (labels["submitted"], c["submitted"]),
    ]
    return {
        "title": labels["protocol"],
        "number_line": _number_line(protocol),
        "university": university(),
        "fields": fields,
        "sections": [
            {"heading": labels["text"], "lines": [c["text"]]},
            {
                "heading": labels["decision"],
                "lines": [
                    f"{labels['old_grade']}: {c['old_grade']}",
                    f"{labels['new_grade']}: {c['new_grade']}",
                    c["decision"],
                    f"{labels['reason']}: {c['reason'] or NONE}",
                    f"{labels['decided']}: {c['decided']}",
                ],
            },
        ],
        "signatures": c["signatures"],
        "meta": _meta(f"{labels['protocol']} {_number_line(protocol)}", language),
    }


BUILDERS = {
    Protocol.Kind.EXAMINEE: examinee_content,
    Protocol.Kind.DEGREE: degree_content,
    Protocol.Kind.APPEAL: appeal_content,
}
