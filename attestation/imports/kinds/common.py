"""Columns more than one kind uses, and the people lookups they share."""

from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from attestation.accounts.models import User
from attestation.imports.columns import Column, code, email, text, username

USERNAME = Column(
    key="username",
    label=_("Username"),
    titles={"en": "Username", "kk": "Пайдаланушы аты", "ru": "Логин"},
    aliases=("login", "user name", "user", "логин", "имя пользователя", "пайдаланушы"),
    parse=username,
    example="student001",
)
FULL_NAME = Column(
    key="full_name",
    label=_("Full name"),
    titles={"en": "Full name", "kk": "Аты-жөні", "ru": "ФИО"},
    aliases=(
        "name",
        "ф и о",
        "фамилия имя отчество",
        "толық аты-жөні",
        "тегі, аты, әкесінің аты",
        "тегі аты әкесінің аты",
    ),
    parse=text(200),
    example="Әбілқасымова Гүлнұр Серікқызы",
)
EMAIL = Column(
    key="email",
    label=_("E-mail"),
    titles={"en": "E-mail", "kk": "Электрондық пошта", "ru": "Электронная почта"},
    aliases=("email", "mail", "e-mail address", "почта", "эл почта", "пошта", "эл пошта"),
    parse=email,
    example="gulnur.abilkasymova@university.kz",
)
PROGRAMME = Column(
    key="programme",
    label=_("Educational programme"),
    titles={
        "en": "Educational programme",
        "kk": "Білім беру бағдарламасы",
        "ru": "Образовательная программа",
    },
    aliases=(
        "programme",
        "program",
        "educational program",
        "бағдарлама",
        "ББ",
        "ОП",
        "мамандық",
        "специальность",
    ),
    parse=text(200),
    example="6B06101 Ақпараттық жүйелер",
)
COMMISSION = Column(
    key="commission",
    label=_("Commission code"),
    titles={"en": "Commission code", "kk": "Комиссия коды", "ru": "Код комиссии"},
    aliases=("commission", "комиссия", "МАК коды", "код ГАК"),
    parse=code(50),
    example="sac-is-2026",
)


def users_by_username(usernames) -> dict[str, User]:
    """Existing accounts keyed by lower-case username: «Student01» and «student01» are one
    person to a registrar, so an import never makes a second account differing by case."""
    keys = sorted({name.lower() for name in usernames if name})
    found: dict[str, User] = {}
    for part in chunks(keys):
        query = User.objects.annotate(lower_name=Lower("username")).filter(lower_name__in=part)
        for user in query.order_by("id"):
            found.setdefault(user.lower_name, user)
    return found


def chunks(items: list, size: int = 500):
    """Slices small enough for any database's limit on query parameters."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
