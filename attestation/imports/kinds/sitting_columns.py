"""The columns of the sittings file, and the words each enum value is recognised by."""

from dataclasses import replace

from django.utils.translation import gettext_lazy

from attestation.commissions.models import EXAM_LANGUAGES, Sitting
from attestation.imports.columns import Column, a_date, a_time, choice, code, integer, text, url
from attestation.imports.kinds.common import COMMISSION, USERNAME

MAX_POSITION = 10_000

SITTING = Column(
    key="sitting",
    label=gettext_lazy("Sitting code"),
    titles={"en": "Sitting code", "kk": "Отырыс коды", "ru": "Код заседания"},
    aliases=("sitting", "отырыс", "заседание"),
    parse=code(60),
    example="is-2026-defense-1",
)
FORM_WORDS = {
    Sitting.Form.WRITTEN_EXAM: ("жазбаша емтихан", "жазбаша", "письменный экзамен", "письменный"),
    Sitting.Form.ORAL_EXAM: ("ауызша емтихан", "ауызша", "устный экзамен", "устный", "oral"),
    Sitting.Form.DEFENSE: (
        "қорғау",
        "диплом жұмысын қорғау",
        "дипломдық жұмысты қорғау",
        "защита",
        "защита дипломной работы",
        "defence",
        "thesis defense",
    ),
}
EXAM_KIND_WORDS = {
    Sitting.ExamKind.STATE: ("мемлекеттік", "мемлекеттік емтихан", "государственный", "state"),
    Sitting.ExamKind.COMPLEX: ("кешенді", "кешенді емтихан", "комплексный", "complex"),
}
# The exam language per examinee (SPEC K-14): Kazakh or Russian tickets.
EXAM_LANGUAGE_WORDS = {
    "kk": ("қазақ", "қазақша", "қазақ тілі", "қаз", "казахский", "kazakh", "kaz"),
    "ru": ("орыс", "орысша", "орыс тілі", "русский", "рус", "russian", "rus"),
}
COLUMNS = [
    SITTING,
    COMMISSION,
    Column(
        key="form",
        label=gettext_lazy("Form"),
        titles={"en": "Form", "kk": "Нысаны", "ru": "Форма"},
        aliases=("нысан", "форма проведения", "өткізу нысаны"),
        parse=choice(FORM_WORDS, dict(Sitting.Form.choices)),
        example="қорғау",
    ),
    Column(
        key="exam_kind",
        label=gettext_lazy("Exam kind"),
        titles={"en": "Exam kind", "kk": "Емтихан түрі", "ru": "Вид экзамена"},
        parse=choice(EXAM_KIND_WORDS, dict(Sitting.ExamKind.choices)),
        required=False,
    ),
    Column(
        key="title",
        label=gettext_lazy("Sitting title"),
        titles={"en": "Sitting title", "kk": "Отырыс атауы", "ru": "Название заседания"},
        aliases=("title", "атауы", "название", "discipline", "пән", "дисциплина"),
        parse=text(300),
        example="Дипломдық жұмыс қорғау: ақпараттық жүйелер",
    ),
    Column(
        key="date",
        label=gettext_lazy("Date"),
        titles={"en": "Date", "kk": "Күні", "ru": "Дата"},
        aliases=("күн",),
        parse=a_date,
        example="25.06.2026",
    ),
    Column(
        key="time",
        label=gettext_lazy("Time"),
        titles={"en": "Time", "kk": "Уақыты", "ru": "Время"},
        aliases=("уақыт", "start time", "басталу уақыты", "время начала"),
        parse=a_time,
        example="09:30",
    ),
    Column(
        key="conference_url",
        label=gettext_lazy("Conference link"),
        titles={
            "en": "Conference link",
            "kk": "Конференция сілтемесі",
            "ru": "Ссылка на конференцию",
        },
        aliases=("link", "сілтеме", "ссылка", "meeting link", "webex"),
        parse=url,
        example="https://meet.university.kz/is-defense",
        required=False,
    ),
    Column(
        key="bank",
        label=gettext_lazy("Ticket bank code"),
        titles={
            "en": "Ticket bank code",
            "kk": "Билеттер банкінің коды",
            "ru": "Код банка билетов",
        },
        aliases=("ticket bank", "bank code", "билеттер банкі", "банк билетов"),
        parse=code(60),
        required=False,
    ),
    Column(
        key="position",
        label=gettext_lazy("Place in the list"),
        titles={"en": "Place in the list", "kk": "Тізімдегі орны", "ru": "Номер в списке"},
        aliases=("position", "place", "order", "no", "№", "№ п/п", "реттік нөмір", "порядок"),
        parse=integer(1, MAX_POSITION),
        example=1,
    ),
    replace(
        USERNAME,
        key="student",
        label=gettext_lazy("Student username"),
        titles={"en": "Student username", "kk": "Білім алушы логині", "ru": "Логин студента"},
        aliases=("student", "username", "login", "логин", "пайдаланушы аты", "студент"),
    ),
    Column(
        key="thesis_topic",
        label=gettext_lazy("Thesis topic"),
        titles={
            "en": "Thesis topic",
            "kk": "Жұмыстың (жобаның) тақырыбы",
            "ru": "Тема работы (проекта)",
        },
        # The earlier titles stay accepted: files made from an older template still import.
        aliases=(
            "topic",
            "тақырып",
            "тема",
            "дипломдық жұмыс тақырыбы",
            "тема дипломной работы",
        ),
        parse=text(500),
        example="Университеттің ақпараттық жүйесін әзірлеу",
        required=False,
    ),
    Column(
        key="supervisor",
        label=gettext_lazy("Supervisor"),
        titles={"en": "Supervisor", "kk": "Ғылыми жетекші", "ru": "Научный руководитель"},
        aliases=("жетекші", "руководитель"),
        parse=text(200),
        example="Жақсылықова Гүлжан",
        required=False,
    ),
    Column(
        key="reviewer",
        label=gettext_lazy("Reviewer"),
        titles={"en": "Reviewer", "kk": "Пікір жазушы", "ru": "Рецензент"},
        aliases=("рецензент", "сыни пікір жазушы"),
        parse=text(200),
        example="Өмірзақов Қайрат",
        required=False,
    ),
    Column(
        key="exam_language",
        label=gettext_lazy("Exam language"),
        titles={"en": "Exam language", "kk": "Емтихан тілі", "ru": "Язык экзамена"},
        aliases=("language", "тіл", "тілі", "язык", "оқу тілі", "язык обучения"),
        parse=choice(EXAM_LANGUAGE_WORDS, dict(EXAM_LANGUAGES)),
        example="kk",
        required=False,
    ),
]
