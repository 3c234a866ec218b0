"""Defence dossiers (SPEC K-8): one row per defence examinee, named by the sitting's code and
the student's username. Files cannot come in a spreadsheet: the row carries the titles, the
supervisor, the reviewer and their grade, the originality check and the department's
decision; the PDFs are attached on the dossier's page or through the API. A column absent from
the file leaves that value as it is; an empty cell clears it."""

from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.commissions.models import Examinee, Sitting
from attestation.core.errors import DomainError
from attestation.defense import dossier as service
from attestation.defense.models import Dossier
from attestation.imports.columns import CellError, Column, Sheet, choice, text
from attestation.imports.kinds.base import ImportConflict, ImportKind, Outcome, Progress, changed
from attestation.imports.kinds.common import USERNAME
from attestation.imports.kinds.sitting_columns import SITTING


def _checked(read):
    """A cell read by the dossier's own rule (the same as the form's and the API's)."""

    def parse(value):
        try:
            return read(value)
        except DomainError as error:
            raise CellError(error.message) from None

    return parse


def _text_column(key, en, kk, ru, aliases=(), example=""):
    return Column(
        key=key,
        label=gettext_lazy(en),
        titles={"en": en, "kk": kk, "ru": ru},
        aliases=aliases,
        parse=text(service.TEXTS[key][2]),
        example=example,
        required=False,
    )


def _percent_column(key, en, kk, ru, aliases=(), example=None):
    return Column(
        key=key,
        label=gettext_lazy(en),
        titles={"en": en, "kk": kk, "ru": ru},
        aliases=aliases,
        parse=_checked(lambda value, key=key: service.percent_value(key, value)),
        example=example,
        required=False,
    )


SYSTEM_WORDS = {
    Dossier.System.STRIKE: ("strike", "strike plagiarism", "strikeplagiarism.com", "страйк"),
    Dossier.System.ANTIPLAGIAT: ("антиплагиат", "antiplagiat.ru", "anti-plagiat"),
    Dossier.System.OTHER: ("басқа", "другая", "other"),
}
DECISION_WORDS = {
    Dossier.Decision.ADMITTED: ("жіберілді", "допущен", "допущена", "admitted", "иә", "да", "yes"),
    Dossier.Decision.NOT_ADMITTED: (
        "жіберілмеді",
        "не допущен",
        "не допущена",
        "not admitted",
        "жоқ",
        "нет",
        "no",
    ),
}
COLUMNS = [
    replace(SITTING, example="is-2026-defense-1"),
    replace(
        USERNAME,
        key="student",
        label=gettext_lazy("Student username"),
        titles={"en": "Student username", "kk": "Білім алушы логині", "ru": "Логин студента"},
        aliases=("student", "username", "login", "логин", "пайдаланушы аты", "студент"),
    ),
    _text_column(
        "title_kk",
        "Thesis topic in Kazakh",
        "Жұмыстың (жобаның) қазақ тіліндегі тақырыбы",
        "Тема работы (проекта) на казахском языке",
        aliases=("thesis topic", "тақырып", "тема", "жұмыстың (жобаның) тақырыбы"),
        example="Университеттің ақпараттық жүйесін әзірлеу",
    ),
    _text_column(
        "title_ru",
        "Thesis topic in Russian",
        "Жұмыстың (жобаның) орыс тіліндегі тақырыбы",
        "Тема работы (проекта) на русском языке",
        example="Разработка информационной системы университета",
    ),
    _text_column(
        "title_en",
        "Thesis topic in English",
        "Жұмыстың (жобаның) ағылшын тіліндегі тақырыбы",
        "Тема работы (проекта) на английском языке",
        example="Developing the university's information system",
    ),
    _text_column(
        "supervisor",
        "Supervisor",
        "Ғылыми жетекші",
        "Научный руководитель",
        aliases=("жетекші", "руководитель"),
        example="Жақсылықова Гүлжан",
    ),
    _text_column(
        "reviewer",
        "Reviewer",
        "Рецензент",
        "Рецензент",
        aliases=("сыни пікір жазушы", "пікір жазушы"),
        example="Өмірзақов Қайрат",
    ),
    _text_column(
        "reviewer_organisation",
        "Reviewer's organisation",
        "Рецензенттің ұйымы",
        "Организация рецензента",
        aliases=("organisation", "organization", "ұйым", "организация", "место работы"),
        example="«ҚазАқпарат» АҚ",
    ),
    Column(
        key="reviewer_grade",
        label=gettext_lazy("Reviewer's grade"),
        titles={"en": "Reviewer's grade", "kk": "Рецензенттің бағасы", "ru": "Оценка рецензента"},
        aliases=("review grade", "рецензия бағасы", "оценка рецензии"),
        parse=_checked(service.grade_value),
        example=88,
        required=False,
    ),
    Column(
        key="originality_system",
        label=gettext_lazy("Originality check system"),
        titles={
            "en": "Originality check system",
            "kk": "Түпнұсқалықты тексеру жүйесі",
            "ru": "Система проверки на оригинальность",
        },
        aliases=("plagiarism system", "антиплагиат жүйесі", "система антиплагиата"),
        parse=choice(SYSTEM_WORDS, dict(Dossier.System.choices)),
        example="StrikePlagiarism",
        required=False,
    ),
    _percent_column(
        "similarity_1",
        "Similarity coefficient 1, %",
        "1-ұқсастық коэффициенті, %",
        "Коэффициент подобия 1, %",
        aliases=("кп1", "kp1", "coefficient 1"),
        example=12.5,
    ),
    _percent_column(
        "similarity_2",
        "Similarity coefficient 2, %",
        "2-ұқсастық коэффициенті, %",
        "Коэффициент подобия 2, %",
        aliases=("кп2", "kp2", "coefficient 2"),
        example=1.2,
    ),
    _percent_column(
        "similarity",
        "Similarity, %",
        "Ұқсастық, %",
        "Подобие, %",
        aliases=("similarity percent", "заимствования, %", "процент заимствований"),
    ),
    Column(
        key="department_decision",
        label=gettext_lazy("Department's decision"),
        titles={"en": "Department's decision", "kk": "Кафедраның шешімі", "ru": "Решение кафедры"},
        aliases=("decision", "шешім", "решение"),
        parse=choice(DECISION_WORDS, dict(Dossier.Decision.choices)),
        required=False,
    ),
]
VALUE_KEYS = [c.key for c in COLUMNS[2:]]


@dataclass
class DossierRow:
    number: int
    sitting: str
    username: str
    values: dict  # the columns the file has: key → value ("" or None clears)


def check(sheet: Sheet, progress: Progress) -> list[DossierRow]:
    plan: list[DossierRow] = []
    seen: dict[tuple, int] = {}
    for done, row in enumerate(sheet.rows(), start=1):
        progress(done)
        code, username = row["sitting"], row["student"]
        if code and username:
            earlier = seen.setdefault((code, username.lower()), row.number)
            if earlier != row.number:
                row.problem(
                    "student",
                    _("«%(value)s» is already in row %(row)s")
                    % {"value": username, "row": earlier},
                )
        values = {key: row[key] for key in VALUE_KEYS if row.has(key)}
        plan.append(DossierRow(row.number, code or "", username or "", values))
    _check_database(sheet, plan)
    return plan


def _examinees(plan: list[DossierRow]) -> dict[tuple, Examinee]:
    codes = {item.sitting for item in plan}
    found = Examinee.objects.filter(sitting__code__in=codes).select_related(
        "sitting", "student__user"
    )
    return {(e.sitting.code, e.student.user.username.lower()): e for e in found}


def _check_database(sheet: Sheet, plan: list[DossierRow]) -> None:
    sittings = {s.code: s for s in Sitting.objects.filter(code__in={item.sitting for item in plan})}
    examinees = _examinees(plan)
    for item in plan:
        if not item.sitting or not item.username:
            continue
        sitting = sittings.get(item.sitting)
        if sitting is None:
            sheet.problems.add(
                item.number,
                sheet.title_of("sitting"),
                _("unknown sitting «%(value)s»: import the sittings first")
                % {"value": item.sitting},
            )
        elif sitting.form != Sitting.Form.DEFENSE:
            sheet.problems.add(
                item.number,
                sheet.title_of("sitting"),
                _("«%(value)s» is not a thesis defence") % {"value": item.sitting},
            )
        elif sitting.announced_at is not None:
            sheet.problems.add(
                item.number,
                sheet.title_of("sitting"),
                _("the results of «%(value)s» are announced: its dossiers are closed")
                % {"value": item.sitting},
            )
        elif (item.sitting, item.username.lower()) not in examinees:
            sheet.problems.add(
                item.number,
                sheet.title_of("student"),
                _("«%(value)s» is not in the list of this sitting") % {"value": item.username},
            )


def apply(plan: list[DossierRow]) -> Outcome:
    outcome = Outcome(counts={"created": 0, "updated": 0, "unchanged": 0})
    examinees = _examinees(plan)
    dossiers = {
        d.examinee_id: d
        for d in Dossier.objects.filter(examinee__in=[e.pk for e in examinees.values()])
    }
    now = timezone.now()
    for item in plan:
        examinee = examinees.get((item.sitting, item.username.lower()))
        if examinee is None or examinee.sitting.announced_at is not None:
            raise ImportConflict(_("A sitting or an examinee of the file changed meanwhile."))
        dossier = dossiers.get(examinee.pk) or Dossier(examinee=examinee)
        on_examinee, on_dossier = {}, {}
        for key, value in item.values.items():
            if key in service.TEXTS:
                where, attr, _limit = service.TEXTS[key]
                (on_examinee if where == "examinee" else on_dossier)[attr] = value or ""
            elif key in ("originality_system", "department_decision"):
                on_dossier[key] = value or ""
            else:
                on_dossier[key] = value
        decision_before = dossier.department_decision
        examinee_changed = changed(examinee, on_examinee)
        dossier_changed = changed(dossier, on_dossier)
        if dossier.department_decision != decision_before:
            # Who decided is in the department's minutes, not in the file: the import's
            # audit row says where it came from.
            dossier.decided_by = None
            dossier.decided_at = now if dossier.department_decision else None
        if examinee_changed:
            examinee.save(update_fields=list(on_examinee))
        if dossier.pk is None:
            action = "created"
        elif dossier_changed or examinee_changed:
            action = "updated"
        else:
            action = "unchanged"
        if dossier.pk is None or dossier_changed:
            dossier.updated_at = now
            dossier.save()
        outcome.counts[action] += 1
        state = service.dossier_state(examinee, dossier)
        outcome.show(
            action,
            item.sitting,
            item.username,
            examinee.thesis_topic,
            _("complete") if state.complete else "; ".join(state.missing_labels),
        )
    return outcome


KIND = ImportKind(
    key="dossiers",
    title=gettext_lazy("Defence dossiers"),
    description=gettext_lazy(
        "One row per defence examinee (sitting code and student username): the thesis topic "
        "in three languages, the supervisor, the reviewer and their grade, the originality "
        "check and the department's decision. The PDFs (the supervisor's feedback, the review, "
        "the originality report) are attached on the dossier's page."
    ),
    columns=COLUMNS,
    check=check,
    apply=apply,
    count_labels={
        "created": gettext_lazy("dossiers created"),
        "updated": gettext_lazy("dossiers updated"),
        "unchanged": gettext_lazy("dossiers unchanged"),
    },
    preview_headers=[
        gettext_lazy("Sitting code"),
        gettext_lazy("Student username"),
        gettext_lazy("Thesis topic"),
        gettext_lazy("Dossier"),
    ],
)
