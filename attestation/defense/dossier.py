"""The defence dossier (SPEC K-8): entered by the technical secretary or the department, read
by the commission and the student; a defence examinee is admitted only on a complete one.

`dossier_update` takes what a form or a multipart request sends (strings and files) and
changes only what is given. Everything is checked before anything is stored: a bad value or
file is a translated 422 and nothing changes. PDFs are checked and written to storage before
the transaction (slow work must not hold the write lock), deleted again if it fails; replaced
files go only after the commit (as `defense/services.py`)."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.audit.services import log_action
from attestation.commissions.closing import ensure_not_announced
from attestation.commissions.models import Examinee, Sitting
from attestation.commissions.services import examinee_locked
from attestation.core.errors import DomainError
from attestation.core.input import check_text
from attestation.defense.access import can_enter_dossier
from attestation.defense.models import Dossier, Thesis
from attestation.defense.pdfcheck import check_pdf

FILES = ("supervisor_feedback", "review", "originality_report")
# Text fields: (where it is stored, longest).
TEXTS = {
    "title_kk": ("examinee", "thesis_topic", 500),
    "title_ru": ("dossier", "title_ru", 500),
    "title_en": ("dossier", "title_en", 500),
    "supervisor": ("examinee", "supervisor", 200),
    "reviewer": ("examinee", "reviewer", 200),
    "reviewer_organisation": ("dossier", "reviewer_organisation", 300),
}
PERCENTS = ("similarity", "similarity_1", "similarity_2")
FIELDS = (*TEXTS, "reviewer_grade", "originality_system", *PERCENTS, "department_decision")
STRIKE = Dossier.System.STRIKE

# What the dossier still lacks, in the order the department gathers it; the labels read in
# the reader's language (pages, API, the admission's refusal).
MISSING_LABELS = {
    "thesis": gettext_lazy("the thesis (PDF)"),
    "title_kk": gettext_lazy("the thesis topic in Kazakh"),
    "title_ru": gettext_lazy("the thesis topic in Russian"),
    "supervisor": gettext_lazy("the supervisor"),
    "supervisor_feedback": gettext_lazy("the supervisor's feedback (PDF)"),
    "reviewer": gettext_lazy("the reviewer"),
    "review": gettext_lazy("the review (PDF)"),
    "reviewer_grade": gettext_lazy("the reviewer's grade"),
    "originality_system": gettext_lazy("the originality check system"),
    "similarity": gettext_lazy("the similarity coefficients"),
    "originality_report": gettext_lazy("the originality check report (PDF)"),
    "department_decision": gettext_lazy(
        "the department's decision (the similarity is above the university's threshold)"
    ),
    "department_refused": gettext_lazy("the department has not admitted the student"),
}


@dataclass
class DossierState:
    complete: bool
    missing: list[str] = field(default_factory=list)
    over_threshold: bool = False

    @property
    def missing_labels(self) -> list[str]:
        return [str(MISSING_LABELS[code]) for code in self.missing]

    @property
    def missing_pairs(self) -> list[tuple[str, str]]:
        return [(code, str(MISSING_LABELS[code])) for code in self.missing]

    def as_dict(self) -> dict:
        return {
            "complete": self.complete,
            "missing": self.missing,
            "missing_labels": self.missing_labels,
            "over_threshold": self.over_threshold,
        }


def thresholds() -> dict[str, Decimal]:
    """The university's thresholds (settings.py, `ORIGINALITY_MAX_*`): none is national."""
    return {
        "similarity": Decimal(settings.ORIGINALITY_MAX_SIMILARITY),
        "similarity_1": Decimal(settings.ORIGINALITY_MAX_SIMILARITY_1),
        "similarity_2": Decimal(settings.ORIGINALITY_MAX_SIMILARITY_2),
    }


def _measures(dossier: Dossier) -> tuple[str, ...]:
    """The similarity values the dossier's system reports."""
    return (
        ("similarity_1", "similarity_2")
        if dossier.originality_system == STRIKE
        else ("similarity",)
    )


def over_threshold(dossier: Dossier | None) -> bool:
    if dossier is None or not dossier.originality_system:
        return False
    limits = thresholds()
    return any(
        getattr(dossier, name) is not None and getattr(dossier, name) > limits[name]
        for name in _measures(dossier)
    )


def dossier_of(examinee: Examinee) -> Dossier | None:
    return Dossier.objects.filter(examinee_id=examinee.pk).first()


def _has_thesis(examinee: Examinee) -> bool:
    cache = examinee._state.fields_cache
    if "thesis" in cache:  # read with select_related("thesis"): a list needs no query each
        return cache["thesis"] is not None
    return Thesis.objects.filter(examinee_id=examinee.pk).exists()


def dossier_state(examinee: Examinee, dossier: Dossier | None = None) -> DossierState:
    """Is the dossier complete (K-8)? The codes of what is missing, in `MISSING_LABELS`."""
    if dossier is None:
        dossier = dossier_of(examinee)
    d = dossier or Dossier(examinee_id=examinee.pk)
    missing = []
    if not _has_thesis(examinee):
        missing.append("thesis")
    checks = (
        ("title_kk", examinee.thesis_topic),
        ("title_ru", d.title_ru),
        ("supervisor", examinee.supervisor),
        ("supervisor_feedback", d.supervisor_feedback),
        ("reviewer", examinee.reviewer),
        ("review", d.review),
        ("reviewer_grade", d.reviewer_grade is not None),
        ("originality_system", d.originality_system),
        (
            "similarity",
            d.originality_system and all(getattr(d, n) is not None for n in _measures(d)),
        ),
        ("originality_report", d.originality_report),
    )
    missing += [code for code, present in checks if not present]
    above = over_threshold(d)
    if d.department_decision == Dossier.Decision.NOT_ADMITTED:
        missing.append("department_refused")
    elif above and d.department_decision != Dossier.Decision.ADMITTED:
        missing.append("department_decision")
    return DossierState(complete=not missing, missing=missing, over_threshold=above)


def require_complete(examinee: Examinee) -> None:
    """Admission to a defence waits for a complete dossier (K-8); exams are not concerned."""
    if examinee.sitting.form != Sitting.Form.DEFENSE:
        return
    state = dossier_state(examinee)
    if not state.complete:
        raise DossierIncomplete(state)


class DossierIncomplete(DomainError):
    def __init__(self, state: DossierState):
        super().__init__(
            _("The defence dossier is incomplete: %(missing)s.")
            % {"missing": "; ".join(state.missing_labels)},
            "dossier_incomplete",
            409,
        )
        self.extra = {"missing": state.missing, "missing_labels": state.missing_labels}


# --- Reading what a form or a request sends -----------------------------------------------


def _invalid(message: str) -> DomainError:
    return DomainError(message, "invalid", 422)


def _text(name: str, value, limit: int) -> str:
    value = " ".join(check_text(str(value)).split())
    if len(value) > limit:
        raise _invalid(
            _("%(field)s: at most %(limit)s characters.")
            % {"field": field_label(name), "limit": limit}
        )
    return value


def field_label(name: str) -> str:
    labels = {
        "title_kk": _("Thesis topic in Kazakh"),
        "title_ru": _("Thesis topic in Russian"),
        "title_en": _("Thesis topic in English"),
        "supervisor": _("Supervisor"),
        "reviewer": _("Reviewer"),
        "reviewer_organisation": _("Reviewer's organisation"),
        "similarity": _("Similarity, %"),
        "similarity_1": _("Similarity coefficient 1, %"),
        "similarity_2": _("Similarity coefficient 2, %"),
    }
    return labels.get(name, name)


def grade_value(value) -> int | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's number
    value = str(value).strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or int(value) > 100:
        raise _invalid(_("The reviewer's grade is a whole number from 0 to 100."))
    return int(value)


def percent_value(name: str, value) -> Decimal | None:
    value = str(value).strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise _invalid(
            _("%(field)s is a number from 0 to 100, e.g. 12.5.") % {"field": field_label(name)}
        )
    return number.quantize(Decimal("0.01"))


def _choice(value, choices, message: str) -> str:
    value = str(value).strip()
    if value and value not in choices:
        raise _invalid(message)
    return value


def dossier_clean(raw: dict) -> dict:
    """The given fields (`raw`: strings, absent = unchanged; "" clears), checked and typed;
    a translated 422 on the first bad one."""
    clean = {}
    for name, value in raw.items():
        if value is None or name not in FIELDS:
            continue
        if name in TEXTS:
            clean[name] = _text(name, value, TEXTS[name][2])
        elif name == "reviewer_grade":
            clean[name] = grade_value(value)
        elif name in PERCENTS:
            clean[name] = percent_value(name, value)
        elif name == "originality_system":
            clean[name] = _choice(
                value,
                Dossier.System.values,
                _("Choose the originality check system: %(choices)s.")
                % {"choices": ", ".join(str(label) for label in Dossier.System.labels)},
            )
        elif name == "department_decision":
            clean[name] = _choice(
                value,
                Dossier.Decision.values,
                _("The department's decision is “admitted” or “not admitted”."),
            )
    return clean


# --- The change -------------------------------------------------------------------------


def _store(dossier: Dossier, name: str, data: bytes) -> tuple[str, object]:
    field_file = getattr(dossier, name)
    field_file.save(f"{name.replace('_', '-')}.pdf", ContentFile(data), save=False)
    return field_file.name, field_file.storage


def dossier_update(*, examinee: Examinee, actor, raw: dict, files: dict | None = None) -> Dossier:
    """The secretary or the department enters the dossier (K-8): the given fields and files
    change, the rest stays. Audited: one row for the change, one more for the department's
    decision (who, when)."""
    if examinee.sitting.form != Sitting.Form.DEFENSE:
        raise DomainError(_("This is not a thesis defence."), "not_a_defense")
    if not can_enter_dossier(actor, examinee):
        raise DomainError(
            _("Only the technical secretary or the department enters the dossier."),
            "forbidden",
            403,
        )
    clean = dossier_clean(raw)
    checked = {name: check_pdf(f) for name, f in (files or {}).items() if name in FILES and f}
    dossier = dossier_of(examinee) or Dossier(examinee=examinee)
    old_names = {name: getattr(dossier, name).name for name in checked}
    stored = []
    try:
        for name, pdf in checked.items():
            stored.append(_store(dossier, name, pdf.data))
        with transaction.atomic():
            locked = examinee_locked(examinee)
            ensure_not_announced(locked.sitting)
            # Re-read under the lock (another change may have come first), keeping the
            # files just stored.
            fresh = Dossier.objects.filter(examinee_id=locked.pk).first()
            if fresh is not None:
                for name in checked:
                    old_names[name] = getattr(fresh, name).name
                    setattr(fresh, name, getattr(dossier, name).name)
                dossier = fresh
            dossier.examinee = locked
            changes = _apply(locked, dossier, clean, actor)
            flags = set(dossier.active_content or []) - set(checked)
            flags |= {name for name, pdf in checked.items() if pdf.active}
            dossier.active_content = sorted(flags)
            dossier.updated_at = timezone.now()
            dossier.save()
            for name, pdf in checked.items():
                changes[name] = {"sha256": pdf.sha256, "pages": pdf.pages, "active": pdf.active}
            state = dossier_state(locked, dossier)
            log_action(
                actor=actor,
                action="dossier.update",
                target=locked,
                to_state="complete" if state.complete else "incomplete",
                data={"changes": changes, "missing": state.missing},
            )
            for name, old in old_names.items():
                if old and old != getattr(dossier, name).name:
                    transaction.on_commit(partial(getattr(dossier, name).storage.delete, old))
    except BaseException:
        for name, storage in stored:
            storage.delete(name)
        raise
    for attr in ("thesis_topic", "supervisor", "reviewer"):  # the caller's copy reads true
        setattr(examinee, attr, getattr(locked, attr))
    return dossier


def _apply(examinee: Examinee, dossier: Dossier, clean: dict, actor) -> dict:
    """Set the cleaned values; the changes as `{field: new value}` for the audit row."""
    changes = {}
    examinee_fields = []
    for name, value in clean.items():
        if name in TEXTS:
            where, attr, _limit = TEXTS[name]
            obj = examinee if where == "examinee" else dossier
        else:
            obj, attr = dossier, name
        if getattr(obj, attr) == value:
            continue
        if name == "department_decision":
            _decide(examinee, dossier, value, actor)
        setattr(obj, attr, value)
        changes[name] = str(value) if value is not None else None
        if obj is examinee:
            examinee_fields.append(attr)
    if examinee_fields:
        examinee.save(update_fields=examinee_fields)
    return changes


def _decide(examinee: Examinee, dossier: Dossier, value: str, actor) -> None:
    """The department's decision on admission, with who and when (K-8)."""
    old = dossier.department_decision
    dossier.decided_by = actor if value else None
    dossier.decided_at = timezone.now() if value else None
    log_action(
        actor=actor,
        action="dossier.decision",
        target=examinee,
        from_state=old,
        to_state=value,
        data={
            "similarity": [
                str(getattr(dossier, n)) for n in PERCENTS if getattr(dossier, n) is not None
            ]
        },
    )
