"""The defence's state changes (R-19.1, R-22.2, R-25.1): the thesis file and reviews, written
questions, interruptions. Keyword-only, one transaction each, audited.

Files: the PDF is checked and written to storage *before* the transaction (slow work must not
hold the write lock); if recording fails the new file is deleted at once, and a replaced file
goes only after the commit. Examinee rows are re-read under a lock (FOR UPDATE on PostgreSQL;
SQLite's IMMEDIATE transaction holds the write lock already).
"""

from datetime import datetime, timedelta
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions.access import roles_in
from attestation.commissions.models import Examinee, Membership, Sitting
from attestation.commissions.services import examinee_locked
from attestation.core.errors import DomainError
from attestation.defense.models import Interruption, Thesis, WrittenQuestion
from attestation.defense.pdfcheck import check_pdf

S = Examinee.Status
R = Membership.Role
TEXT_MAX = 4000
REVIEW_KINDS = ("supervisor", "reviewer")
# The live page's upload kinds → the dossier's files.
REVIEW_FIELDS = {"supervisor": "supervisor_feedback", "reviewer": "review"}


def thesis_deadline(sitting: Sitting) -> datetime:
    """R-19.1: the thesis is due `thesis_deadline_days` (2) days before the defence starts."""
    return sitting.starts_at - timedelta(days=sitting.thesis_deadline_days)


def _require_defense(examinee: Examinee) -> None:
    if examinee.sitting.form != Sitting.Form.DEFENSE:
        raise DomainError(_("This is not a thesis defence."), "not_a_defense")


def _require_role(actor, examinee: Examinee, roles) -> None:
    if not roles_in(actor, examinee.sitting.commission) & set(roles):
        raise DomainError(_("Your role in this commission does not allow this."), "forbidden", 403)


def _is_student(actor, examinee: Examinee) -> bool:
    return examinee.student.user_id == getattr(actor, "pk", None)


def _store(field_file, data: bytes, name: str):
    field_file.save(name, ContentFile(data), save=False)
    return field_file.name, field_file.storage


def thesis_upload(*, examinee: Examinee, file, actor, late_reason: str = "") -> Thesis:
    """The student uploads the thesis PDF until the deadline (R-19.1); a second upload replaces
    it. After the deadline only the technical secretary uploads, with a reason."""
    _require_defense(examinee)
    late_reason = (late_reason or "").strip()
    checked = check_pdf(file)
    thesis = Thesis.objects.filter(examinee=examinee).first() or Thesis(examinee=examinee)
    old_name = thesis.pdf.name if thesis.pk else ""
    stored, storage = _store(thesis.pdf, checked.data, "thesis.pdf")
    try:
        with transaction.atomic():
            locked = examinee_locked(examinee)
            late = timezone.now() > thesis_deadline(locked.sitting)
            if _is_student(actor, locked):
                if late:
                    when = formats.date_format(
                        timezone.localtime(thesis_deadline(locked.sitting)), "DATETIME_FORMAT"
                    )
                    raise DomainError(
                        _(
                            "The thesis was due by %(when)s. Ask the technical secretary to "
                            "upload it."
                        )
                        % {"when": when},
                        "deadline_passed",
                    )
            else:
                _require_role(actor, locked, (R.SECRETARY,))
                if late and not late_reason:
                    raise DomainError(
                        _("The deadline has passed: give the reason for the late upload."),
                        "reason_required",
                        422,
                    )
            thesis.sha256, thesis.pages = checked.sha256, checked.pages
            thesis.uploaded_at = timezone.now()
            _flag(thesis, "pdf", checked.active)
            thesis.save()
            log_action(
                actor=actor,
                action="thesis.upload",
                target=locked,
                to_state="late" if late else "uploaded",
                reason=late_reason,
                data={
                    "sha256": checked.sha256,
                    "pages": checked.pages,
                    "active_content": checked.active,
                },
            )
            if old_name and old_name != stored:
                transaction.on_commit(partial(storage.delete, old_name))
            transaction.on_commit(partial(_notify, thesis.pk))
    except BaseException:
        storage.delete(stored)
        raise
    return thesis


def _flag(thesis: Thesis, name: str, active: bool) -> None:
    flags = set(thesis.active_content or []) - {name}
    thesis.active_content = sorted(flags | ({name} if active else set()))


def _notify(thesis_id: int) -> None:
    from attestation.defense.tasks import thesis_mail_task

    thesis_mail_task.enqueue(thesis_id)


def thesis_review_attach(*, examinee: Examinee, kind: str, file, actor):
    """The secretary attaches the supervisor's feedback or the review (a PDF) from the live
    page: a change of the dossier (`defense/dossier.py`, K-8)."""
    if kind not in REVIEW_KINDS:
        raise DomainError(_("Unknown kind of review."), "invalid", 422)
    from attestation.defense.dossier import dossier_update

    if file is None:
        check_pdf(file)  # "Choose a PDF file."
    return dossier_update(examinee=examinee, actor=actor, raw={}, files={REVIEW_FIELDS[kind]: file})


def _clean_text(text: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(empty_message, "invalid", 422)
    return text[:TEXT_MAX]


def written_question_post(
    *, examinee: Examinee, actor, text: str, asked_for: str = ""
) -> WrittenQuestion:
    """R-22.2: the secretary relays a member's question in writing; the student sees it at
    once (their page polls)."""
    text = _clean_text(text, _("Write the question."))
    with transaction.atomic():
        locked = examinee_locked(examinee)
        _require_defense(locked)
        _require_role(actor, locked, (R.SECRETARY, R.CHAIR))
        if locked.status not in (S.ADMITTED, S.ANSWERING):
            raise DomainError(_("This student is not defending now."), "wrong_state")
        question = WrittenQuestion.objects.create(
            examinee=locked, posted_by=actor, asked_for=(asked_for or "").strip()[:200], text=text
        )
        log_action(
            actor=actor,
            action="defense.question",
            target=locked,
            reason=text,
            data={"question": question.pk, "asked_for": question.asked_for},
        )
    return question


def written_question_answer(*, question: WrittenQuestion, actor, answer: str) -> WrittenQuestion:
    """The student answers a written question, once."""
    answer = _clean_text(answer, _("Write the answer."))
    with transaction.atomic():
        locked = examinee_locked(question.examinee)
        if not _is_student(actor, locked):
            raise DomainError(_("Only the student answers their questions."), "forbidden", 403)
        question = WrittenQuestion.objects.select_for_update(no_key=True).get(pk=question.pk)
        if question.answered_at is not None:
            raise DomainError(_("This question is already answered."), "already_answered")
        question.answer, question.answered_at = answer, timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        log_action(
            actor=actor,
            action="defense.answer",
            target=locked,
            reason=answer,
            data={"question": question.pk},
        )
    return question


def interruption_report(*, examinee: Examinee, actor, reason: str = "") -> Interruption:
    """R-25.1: the connection dropped; the student (or the secretary for them) asks to
    continue. The timers pause until the commission decides. A repeat returns the open one."""
    with transaction.atomic():
        locked = examinee_locked(examinee)
        _require_defense(locked)
        if not _is_student(actor, locked):
            _require_role(actor, locked, (R.SECRETARY, R.CHAIR))
        if locked.status != S.ANSWERING:
            raise DomainError(_("The defence is not in progress."), "wrong_state")
        open_one = locked.interruptions.filter(ended_at__isnull=True).first()
        if open_one is not None:
            return open_one
        interruption = Interruption.objects.create(
            examinee=locked, reported_by=actor, reason=(reason or "").strip()[:TEXT_MAX]
        )
        log_action(
            actor=actor,
            action="defense.interrupt",
            target=locked,
            to_state="interrupted",
            reason=interruption.reason,
        )
    return interruption


def interruption_resolve(
    *, interruption: Interruption, actor, outcome: str, reason: str
) -> Interruption:
    """R-25.1: the commission resumes the defence (timers run on) or stops it (the examinee is
    terminated; the chair may still set a final grade)."""
    if outcome not in Interruption.Outcome.values:
        raise DomainError(_("Choose: resume or stop."), "invalid", 422)
    reason = _clean_text(reason, _("Write the reason."))
    with transaction.atomic():
        locked = examinee_locked(interruption.examinee)
        _require_role(actor, locked, (R.SECRETARY, R.CHAIR))
        row = Interruption.objects.select_for_update(no_key=True).get(pk=interruption.pk)
        if row.ended_at is not None:
            raise DomainError(_("This interruption is already decided."), "already_decided")
        now = timezone.now()
        row.outcome, row.reason, row.ended_at = outcome, reason, now
        row.save(update_fields=["outcome", "reason", "ended_at"])
        old = locked.status
        if outcome == Interruption.Outcome.STOPPED and locked.status == S.ANSWERING:
            locked.status, locked.questioning_ended_at = S.TERMINATED, now
            locked.save(update_fields=["status", "questioning_ended_at"])
        log_action(
            actor=actor,
            action=f"defense.{outcome}",
            target=locked,
            from_state=old,
            to_state=locked.status,
            reason=reason,
            data={"interruption": row.pk},
        )
    return row
