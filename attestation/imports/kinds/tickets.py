"""Ticket banks: one row per question; the bank's and the ticket's columns repeat.

A ticket that has been drawn keeps its questions (R-11.1: the draw is final and recorded); the
file may repeat them unchanged, but not change them."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.commissions.models import Commission
from attestation.imports.columns import Column, Sheet, choice, code, integer, text
from attestation.imports.kinds.base import ImportConflict, ImportKind, Outcome, Progress, changed
from attestation.imports.kinds.common import COMMISSION
from attestation.tickets.models import Draw, Question, Ticket, TicketBank

LANGUAGE_WORDS = {
    "kk": ("қазақ", "қазақша", "қазақ тілі", "қаз", "казахский", "kazakh", "kaz"),
    "ru": ("орыс", "орысша", "орыс тілі", "русский", "рус", "russian", "rus"),
    "en": ("ағылшын", "ағылшынша", "ағылшын тілі", "английский", "англ", "english", "eng"),
}
COLUMNS = [
    Column(
        key="bank",
        label=gettext_lazy("Bank code"),
        titles={"en": "Bank code", "kk": "Банк коды", "ru": "Код банка"},
        aliases=("ticket bank code", "bank", "билеттер банкінің коды", "код банка билетов"),
        parse=code(60),
        example="is-2026-state",
    ),
    Column(
        key="bank_title",
        label=gettext_lazy("Bank title"),
        titles={"en": "Bank title", "kk": "Банк атауы", "ru": "Название банка"},
        aliases=("title", "атауы", "название"),
        parse=text(300),
        example="Ақпараттық жүйелер: мемлекеттік емтихан",
    ),
    replace(COMMISSION, required=False),
    Column(
        key="ticket",
        label=gettext_lazy("Ticket number"),
        titles={"en": "Ticket number", "kk": "Билет нөмірі", "ru": "Номер билета"},
        aliases=("ticket", "билет", "№ билета", "билет №"),
        parse=integer(1, 100_000),
        example=1,
    ),
    Column(
        key="language",
        label=gettext_lazy("Language"),
        titles={"en": "Language", "kk": "Тілі", "ru": "Язык"},
        aliases=("тіл", "язык билета"),
        parse=choice(LANGUAGE_WORDS, dict(settings.LANGUAGES)),
        example="kk",
    ),
    Column(
        key="question_number",
        label=gettext_lazy("Question number"),
        titles={"en": "Question number", "kk": "Сұрақ нөмірі", "ru": "Номер вопроса"},
        aliases=("question no", "№ вопроса", "сұрақ №"),
        parse=integer(1, 100),
        example=1,
    ),
    Column(
        key="question",
        label=gettext_lazy("Question"),
        titles={"en": "Question", "kk": "Сұрақ", "ru": "Вопрос"},
        aliases=("question text", "сұрақ мәтіні", "текст вопроса"),
        parse=text(5000, one_line=False),
        example="Деректер қорының қалыпты формалары: 1NF, 2NF, 3NF. Мысал келтіріңіз.",
    ),
]


@dataclass
class TicketPlan:
    number: int
    language: str
    first_row: int
    questions: dict[int, str] = field(default_factory=dict)

    def as_compared(self) -> tuple:
        return (self.language, sorted(self.questions.items()))


@dataclass
class BankPlan:
    code: str
    first_row: int
    present: set[str]
    values: dict = field(default_factory=dict)
    tickets: dict[int, TicketPlan] = field(default_factory=dict)


def check(sheet: Sheet, progress: Progress) -> list[BankPlan]:
    banks: dict[str, BankPlan] = {}
    question_rows: dict[tuple, int] = {}
    for done, row in enumerate(sheet.rows(), start=1):
        progress(done)
        code = row["bank"]
        if not code:
            continue
        bank = banks.setdefault(
            code, BankPlan(code=code, first_row=row.number, present=set(sheet.index))
        )
        for key in ("bank_title", "commission"):
            value = row[key]
            if value is None:
                continue
            if bank.values.get(key) is None:
                bank.values[key] = value
            elif bank.values[key] != value:
                row.problem(key, _differs(bank.values[key], bank.first_row))
        number, language, position = row["ticket"], row["language"], row["question_number"]
        if not number:
            continue
        ticket = bank.tickets.setdefault(
            number, TicketPlan(number=number, language=language, first_row=row.number)
        )
        if language and ticket.language and language != ticket.language:
            row.problem("language", _differs(ticket.language, ticket.first_row))
        ticket.language = ticket.language or language
        if position:
            earlier = question_rows.setdefault((code, number, position), row.number)
            if earlier != row.number:
                row.problem(
                    "question_number",
                    _("question %(value)s of ticket %(ticket)s is already in row %(row)s")
                    % {"value": position, "ticket": number, "row": earlier},
                )
            ticket.questions[position] = row["question"] or ""
    plans = list(banks.values())
    _check_database(sheet, plans)
    return plans


def _differs(value, row: int) -> str:
    return _("differs from row %(row)s («%(value)s»)") % {"row": row, "value": value}


def _check_database(sheet: Sheet, plans: list[BankPlan]) -> None:
    commissions = set(Commission.objects.values_list("code", flat=True))
    for bank in plans:
        commission = bank.values.get("commission")
        if commission and commission not in commissions:
            sheet.problems.add(
                bank.first_row,
                sheet.title_of("commission"),
                _("unknown commission «%(value)s»: import the commission first")
                % {"value": commission},
            )
        for ticket in _drawn_and_changed(bank):
            sheet.problems.add(
                bank.tickets[ticket.number].first_row,
                sheet.title_of("ticket"),
                _(
                    "ticket %(number)s has already been drawn in a sitting: its questions "
                    "cannot be changed"
                )
                % {"number": ticket.number},
            )


def _stored(ticket: Ticket) -> tuple:
    return (ticket.language, sorted((q.position, q.text) for q in ticket.questions.all()))


def _drawn_and_changed(bank: BankPlan) -> list[Ticket]:
    drawn = (
        Ticket.objects.filter(bank__code=bank.code, number__in=list(bank.tickets))
        .filter(pk__in=Draw.objects.values("ticket_id"))
        .prefetch_related("questions")
    )
    return [t for t in drawn if _stored(t) != bank.tickets[t.number].as_compared()]


def apply(plan: list[BankPlan]) -> Outcome:
    outcome = Outcome(
        counts={
            "banks_created": 0,
            "banks_updated": 0,
            "tickets_created": 0,
            "tickets_updated": 0,
            "tickets_unchanged": 0,
            "questions": 0,
        }
    )
    counts = outcome.counts
    for item in plan:
        bank = _save_bank(item, counts)
        stored = {t.number: t for t in bank.tickets.prefetch_related("questions")}
        drawn = set(Draw.objects.filter(ticket__bank=bank).values_list("ticket_id", flat=True))
        new_questions = []
        for number, planned in sorted(item.tickets.items()):
            ticket = stored.get(number)
            if ticket is None:
                ticket = Ticket.objects.create(bank=bank, number=number, language=planned.language)
                action = "created"
            elif _stored(ticket) == planned.as_compared():
                action = "unchanged"
            elif ticket.pk in drawn:
                raise ImportConflict(
                    _("Ticket %(number)s was drawn meanwhile: import the file again.")
                    % {"number": number}
                )
            else:
                ticket.language = planned.language
                ticket.save(update_fields=["language"])
                Question.objects.filter(ticket=ticket).delete()
                action = "updated"
            if action != "unchanged":
                new_questions += [
                    Question(ticket=ticket, position=position, text=question)
                    for position, question in sorted(planned.questions.items())
                ]
            counts[f"tickets_{action}"] += 1
            counts["questions"] += len(planned.questions)
            outcome.show(action, item.code, number, planned.language, len(planned.questions))
        Question.objects.bulk_create(new_questions, batch_size=500)
    return outcome


def _save_bank(item: BankPlan, counts: dict) -> TicketBank:
    fields = {"title": item.values["bank_title"]}
    if "commission" in item.present:
        code = item.values.get("commission")
        fields["commission"] = Commission.objects.filter(code=code).first() if code else None
        if code and fields["commission"] is None:
            raise ImportConflict(_("A commission of the file was removed meanwhile."))
    bank = TicketBank.objects.filter(code=item.code).first()
    if bank is None:
        counts["banks_created"] += 1
        return TicketBank.objects.create(code=item.code, **fields)
    if changed(bank, fields):
        bank.save()
        counts["banks_updated"] += 1
    return bank


KIND = ImportKind(
    key="tickets",
    title=gettext_lazy("Ticket banks"),
    description=gettext_lazy(
        "One row per question; the bank's and the ticket's columns repeat. Importing again "
        "replaces a ticket's questions with the file's, unless the ticket has been drawn."
    ),
    columns=COLUMNS,
    check=check,
    apply=apply,
    count_labels={
        "banks_created": gettext_lazy("ticket banks created"),
        "banks_updated": gettext_lazy("ticket banks updated"),
        "tickets_created": gettext_lazy("tickets created"),
        "tickets_updated": gettext_lazy("tickets updated"),
        "tickets_unchanged": gettext_lazy("tickets unchanged"),
        "questions": gettext_lazy("questions in the file"),
    },
    preview_headers=[
        gettext_lazy("Bank"),
        gettext_lazy("Ticket"),
        gettext_lazy("Language"),
        gettext_lazy("Questions"),
    ],
)
