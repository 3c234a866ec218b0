"""Sittings with their examinee lists, in order: one row per examinee; the sitting's columns
repeat. Re-importing sets the list as in the file (R-9.1, R-21.1: students are called by it)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.accounts.models import Student
from attestation.commissions.models import Commission, Examinee, Sitting
from attestation.imports.columns import Sheet
from attestation.imports.kinds.base import ImportConflict, ImportKind, Outcome, Progress, changed
from attestation.imports.kinds.common import chunks
from attestation.imports.kinds.sitting_columns import COLUMNS
from attestation.tickets.models import TicketBank

# Positions are moved past this while the list is rewritten: (sitting, position) is unique at
# every moment, so no row may take a place another still holds.
SHIFT = 1_000_000

SITTING_KEYS = (
    "commission",
    "form",
    "exam_kind",
    "title",
    "date",
    "time",
    "conference_url",
    "bank",
)
THESIS_KEYS = ("thesis_topic", "supervisor", "reviewer")
# What else a row says about its examinee: the thesis, and the exam language (SPEC K-14).
EXAMINEE_KEYS = (*THESIS_KEYS, "exam_language")


@dataclass
class SittingPlan:
    code: str
    first_row: int
    present: set[str]  # the optional columns the file has: absent ones are left as they are
    values: dict = field(default_factory=dict)
    examinees: list[dict] = field(default_factory=list)


def check(sheet: Sheet, progress: Progress) -> list[SittingPlan]:
    plans: dict[str, SittingPlan] = {}
    places: dict[tuple, int] = {}
    students_seen: dict[tuple, int] = {}
    for done, row in enumerate(sheet.rows(), start=1):
        progress(done)
        code = row["sitting"]
        if not code:
            continue
        plan = plans.setdefault(
            code, SittingPlan(code=code, first_row=row.number, present=set(sheet.index))
        )
        for key in SITTING_KEYS:
            value = row[key]
            if not row.has(key) or value is None:
                continue
            if plan.values.get(key) is None:
                plan.values[key] = value
            elif plan.values[key] != value:
                row.problem(
                    key,
                    _("differs from row %(row)s («%(value)s»)")
                    % {"row": plan.first_row, "value": plan.values[key]},
                )
        position, username = row["position"], row["student"]
        if position:
            earlier = places.setdefault((code, position), row.number)
            if earlier != row.number:
                row.problem(
                    "position",
                    _("place %(value)s is already given in row %(row)s")
                    % {"value": position, "row": earlier},
                )
        if username:
            earlier = students_seen.setdefault((code, username.lower()), row.number)
            if earlier != row.number:
                row.problem(
                    "student",
                    _("«%(value)s» is already in this sitting in row %(row)s")
                    % {"value": username, "row": earlier},
                )
        examinee = {"row": row.number, "position": position, "username": username}
        examinee |= {key: row[key] or "" for key in EXAMINEE_KEYS if row.has(key)}
        plan.examinees.append(examinee)
    _check_database(sheet, list(plans.values()))
    return list(plans.values())


def _check_database(sheet: Sheet, plans: list[SittingPlan]) -> None:
    """What only the database can tell: unknown commissions, banks and students, and examinees
    who would be removed from a list they have already started."""
    problem = sheet.problems.add
    commissions = set(Commission.objects.values_list("code", flat=True))
    banks = set(TicketBank.objects.values_list("code", flat=True))
    students = _students([e["username"] for p in plans for e in p.examinees if e["username"]])
    sittings = {
        s.code: s
        for s in Sitting.objects.filter(code__in=[p.code for p in plans]).select_related(
            "commission"
        )
    }
    for plan in plans:
        commission = plan.values.get("commission")
        if commission and commission not in commissions:
            problem(
                plan.first_row,
                sheet.title_of("commission"),
                _("unknown commission «%(value)s»: import the commission first")
                % {"value": commission},
            )
        bank = plan.values.get("bank")
        if bank and bank not in banks:
            problem(
                plan.first_row,
                sheet.title_of("bank"),
                _("unknown ticket bank «%(value)s»: import the ticket bank first")
                % {"value": bank},
            )
        for examinee in plan.examinees:
            if examinee["username"] and examinee["username"].lower() not in students:
                problem(
                    examinee["row"],
                    sheet.title_of("student"),
                    _("no student with username «%(value)s»: import the students first")
                    % {"value": examinee["username"]},
                )
        sitting = sittings.get(plan.code)
        if sitting is None:
            continue
        if commission and sitting.commission.code != commission:
            problem(
                plan.first_row,
                sheet.title_of("commission"),
                _("sitting «%(code)s» belongs to commission «%(other)s»")
                % {"code": plan.code, "other": sitting.commission.code},
            )
        listed = {e["username"].lower() for e in plan.examinees if e["username"]}
        _check_languages(sheet, sitting, plan)
        for examinee in _stale(sitting, listed):
            problem(
                plan.first_row,
                sheet.title_of("sitting"),
                _(
                    "%(name)s (%(username)s) is not in the file but cannot be removed from the "
                    "sitting: their status is «%(status)s»"
                )
                % {
                    "name": examinee.student.full_name,
                    "username": examinee.student.user.username,
                    "status": examinee.get_status_display(),
                },
            )


def _check_languages(sheet: Sheet, sitting: Sitting, plan: SittingPlan) -> None:
    """The exam language picks the tickets offered (K-14): once a student has drawn, the
    file may not change it."""
    drawn = {
        e.student.user.username.lower(): e
        for e in sitting.examinees.filter(draw__isnull=False).select_related("student__user")
    }
    for row in plan.examinees:
        existing = drawn.get((row["username"] or "").lower())
        if existing is None or "exam_language" not in row:
            continue
        if row["exam_language"] != existing.exam_language:
            sheet.problems.add(
                row["row"],
                sheet.title_of("exam_language"),
                _("%(name)s has already drawn a ticket: the exam language cannot change")
                % {"name": existing.student.full_name},
            )


def _students(usernames) -> dict[str, Student]:
    """Students keyed by lower-case username (usernames are matched case-insensitively)."""
    found: dict[str, Student] = {}
    for part in chunks(sorted({u.lower() for u in usernames})):
        query = Student.objects.select_related("user").annotate(lower_name=Lower("user__username"))
        for student in query.filter(lower_name__in=part).order_by("user_id"):
            found.setdefault(student.lower_name, student)
    return found


def _stale(sitting: Sitting, listed: set[str]) -> list[Examinee]:
    """The sitting's examinees missing from the file who may not be removed: only a student
    still `waiting` leaves a list without a trace."""
    current = sitting.examinees.select_related("student__user")
    return [
        e
        for e in current
        if e.student.user.username.lower() not in listed and e.status != Examinee.Status.WAITING
    ]


def apply(plan: list[SittingPlan]) -> Outcome:
    outcome = Outcome(
        counts={
            "sittings_created": 0,
            "sittings_updated": 0,
            "examinees_added": 0,
            "examinees_moved": 0,
            "examinees_kept": 0,
            "examinees_removed": 0,
        }
    )
    students = _students([e["username"] for p in plan for e in p.examinees])
    for item in plan:
        sitting = _save_sitting(item, outcome.counts)
        _save_list(sitting, item, students, outcome)
    return outcome


def _save_sitting(item: SittingPlan, counts: dict) -> Sitting:
    values = dict(item.values)
    commission = Commission.objects.filter(code=values.pop("commission")).first()
    if commission is None:
        raise ImportConflict(_("A commission of the file was removed meanwhile."))
    starts_at = timezone.make_aware(
        datetime.combine(values.pop("date"), values.pop("time")), timezone.get_default_timezone()
    )
    fields = {"form": values["form"], "title": values["title"], "starts_at": starts_at}
    if "exam_kind" in item.present or values["form"] == Sitting.Form.DEFENSE:
        is_exam = values["form"] != Sitting.Form.DEFENSE
        fields["exam_kind"] = (values.get("exam_kind") or "") if is_exam else ""
    if "conference_url" in item.present:
        fields["conference_url"] = values.get("conference_url") or ""
    if "bank" in item.present:
        bank = values.get("bank")
        fields["ticket_bank"] = TicketBank.objects.filter(code=bank).first() if bank else None
        if bank and fields["ticket_bank"] is None:
            raise ImportConflict(_("A ticket bank of the file was removed meanwhile."))
    sitting = Sitting.objects.filter(code=item.code).first()
    if sitting is None:
        counts["sittings_created"] += 1
        return Sitting.objects.create(code=item.code, commission=commission, **fields)
    if sitting.commission_id != commission.pk:
        raise ImportConflict(_("A sitting of the file was moved to another commission meanwhile."))
    if changed(sitting, fields):
        sitting.save()
        counts["sittings_updated"] += 1
    return sitting


def _save_list(sitting: Sitting, item: SittingPlan, students: dict, outcome: Outcome) -> None:
    """Make the sitting's list exactly the file's, in the file's order."""
    counts = outcome.counts
    wanted = {}
    for examinee in item.examinees:
        student = students.get(examinee["username"].lower())
        if student is None:
            raise ImportConflict(_("A student of the file was removed meanwhile."))
        wanted[student.pk] = examinee
    current = {e.student_id: e for e in sitting.examinees.all()}
    stale = [e for key, e in current.items() if key not in wanted]
    if any(e.status != Examinee.Status.WAITING for e in stale):
        raise ImportConflict(_("An examinee left out of the file has started meanwhile."))
    Examinee.objects.filter(pk__in=[e.pk for e in stale]).delete()
    counts["examinees_removed"] += len(stale)
    sitting.examinees.update(position=F("position") + SHIFT)
    moved, added = [], []
    for student_id, examinee in wanted.items():
        details = {key: examinee[key] for key in EXAMINEE_KEYS if key in examinee}
        existing = current.get(student_id)
        if existing is None:
            added.append(
                Examinee(
                    sitting=sitting, student_id=student_id, position=examinee["position"], **details
                )
            )
            action = "created"
            counts["examinees_added"] += 1
        else:
            differs = changed(existing, details) | (existing.position != examinee["position"])
            existing.position = examinee["position"]
            moved.append(existing)  # every kept examinee is shifted and must come back
            action = "updated" if differs else "unchanged"
            counts["examinees_moved" if differs else "examinees_kept"] += 1
        student = students[examinee["username"].lower()]
        outcome.show(
            action, item.code, examinee["position"], student.user.username, student.full_name
        )
    Examinee.objects.bulk_update(moved, ["position", *EXAMINEE_KEYS], batch_size=500)
    Examinee.objects.bulk_create(added, batch_size=500)


KIND = ImportKind(
    key="sittings",
    title=gettext_lazy("Sittings and examinee lists"),
    description=gettext_lazy(
        "One row per examinee, in the order students are called; the sitting's columns repeat "
        "on each row. Date and time are local (Astana time). Importing again sets the list as in "
        "the file: a student left out is removed only while still waiting."
    ),
    columns=COLUMNS,
    check=check,
    apply=apply,
    count_labels={
        "sittings_created": gettext_lazy("sittings created"),
        "sittings_updated": gettext_lazy("sittings updated"),
        "examinees_added": gettext_lazy("examinees added"),
        "examinees_moved": gettext_lazy("examinees updated (place or thesis)"),
        "examinees_kept": gettext_lazy("examinees unchanged"),
        "examinees_removed": gettext_lazy("examinees removed"),
    },
    preview_headers=[
        gettext_lazy("Sitting"),
        gettext_lazy("Place"),
        gettext_lazy("Username"),
        gettext_lazy("Full name"),
    ],
)
