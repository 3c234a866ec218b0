"""Commission composition: one row per person and role; the commission's columns repeat.

The file gives the whole composition of every commission it names: a person no longer in the
file loses that role in that commission (this is how a chair is replaced)."""

from dataclasses import dataclass, replace

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.accounts.models import User
from attestation.commissions.decision import commission_setup_warnings
from attestation.commissions.models import Commission, Membership
from attestation.imports.columns import Column, Sheet, a_date, choice, integer, text
from attestation.imports.kinds.base import ImportKind, Outcome, Progress, changed
from attestation.imports.kinds.common import (
    COMMISSION,
    EMAIL,
    FULL_NAME,
    PROGRAMME,
    USERNAME,
    users_by_username,
)

TITLE = Column(
    key="title",
    label=gettext_lazy("Commission title"),
    titles={"en": "Commission title", "kk": "Комиссия атауы", "ru": "Название комиссии"},
    aliases=("title", "атауы", "название", "commission name"),
    parse=text(300),
    example="Ақпараттық жүйелер бойынша МАК",
)
YEAR = Column(
    key="year",
    label=gettext_lazy("Year"),
    titles={"en": "Year", "kk": "Жыл", "ru": "Год"},
    parse=integer(2000, 2100),
    example=2026,
)
KIND_WORDS = {
    Commission.Kind.SAC: (
        "SAC",
        "МАК",
        "ГАК",
        "мемлекеттік аттестаттау комиссиясы",
        "государственная аттестационная комиссия",
    ),
    Commission.Kind.APPEAL: (
        "апелляция",
        "апелляциялық",
        "апелляциялық комиссия",
        "апелляционная",
        "апелляционная комиссия",
        "appeal commission",
    ),
}
COMMISSION_KIND = Column(
    key="kind",
    label=gettext_lazy("Commission kind"),
    titles={"en": "Commission kind", "kk": "Комиссия түрі", "ru": "Вид комиссии"},
    aliases=("kind", "type", "түрі", "вид", "тип"),
    parse=choice(KIND_WORDS, dict(Commission.Kind.choices)),
    example="МАК",
    required=False,
)
ROLE_WORDS = {
    Membership.Role.CHAIR: (
        "төраға",
        "МАК төрағасы",
        "председатель",
        "председатель ГАК",
        "chairman",
        "chairperson",
    ),
    Membership.Role.DEPUTY: (
        "төрағаның орынбасары",
        "МАК төрағасының орынбасары",
        "заместитель председателя",
        "заместитель председателя ГАК",
        "deputy chair",
        "vice-chair",
    ),
    Membership.Role.MEMBER: (
        "мүше",
        "комиссия мүшесі",
        "член",
        "член комиссии",
        "commission member",
        "examiner",
    ),
    Membership.Role.SECRETARY: (
        "хатшы",
        "техникалық хатшы",
        "техникалық әкімші",
        "секретарь",
        "технический секретарь",
        "technical secretary",
        "technical administrator",
    ),
}
ROLE = Column(
    key="role",
    label=gettext_lazy("Role"),
    titles={"en": "Role", "kk": "Рөлі", "ru": "Роль"},
    aliases=("рөл", "роль в комиссии"),
    parse=choice(ROLE_WORDS, dict(Membership.Role.choices)),
    example="төраға",
)
# SPEC K-1: the order approving the composition, and which people are the university's own
# staff (a chair who is one is warned about: the chair of a SAC is external).
ORDER_NUMBER = Column(
    key="order_number",
    label=gettext_lazy("Approving order number"),
    titles={"en": "Order number", "kk": "Бұйрық нөмірі", "ru": "Номер приказа"},
    aliases=("order", "бұйрық", "приказ", "приказ №", "№ приказа"),
    parse=text(50),
    example="112-НҚ",
    required=False,
)
ORDER_DATE = Column(
    key="order_date",
    label=gettext_lazy("Approving order date"),
    titles={"en": "Order date", "kk": "Бұйрық күні", "ru": "Дата приказа"},
    aliases=("бұйрық күні", "дата приказа"),
    parse=a_date,
    example="20.05.2026",
    required=False,
)
YES_NO = {"yes": ("иә", "да", "1", "true", "+"), "no": ("жоқ", "нет", "0", "false", "-")}
EMPLOYEE = Column(
    key="employee",
    label=gettext_lazy("Employee of the university"),
    titles={"en": "University employee", "kk": "Университет қызметкері", "ru": "Сотрудник вуза"},
    aliases=("employee", "staff", "қызметкер", "сотрудник", "сотрудник университета"),
    parse=choice(YES_NO, {"yes": gettext_lazy("yes"), "no": gettext_lazy("no")}),
    example="жоқ",
    required=False,
)
COLUMNS = [
    COMMISSION,
    TITLE,
    replace(PROGRAMME, required=False),
    YEAR,
    COMMISSION_KIND,
    replace(USERNAME, example="b.seiitkali"),
    replace(FULL_NAME, example="Сейітқали Бекнұр Жұмабайұлы"),
    replace(EMAIL, required=False, example="beknur.seiitkali@university.kz"),
    ROLE,
    ORDER_NUMBER,
    ORDER_DATE,
    EMPLOYEE,
]
COMMISSION_FIELDS = ("title", "programme", "year", "kind", "order_number", "order_date")


@dataclass
class CommissionPlan:
    code: str
    values: dict  # only the columns present in the file
    people: list[dict]  # {"username", "full_name", "email"?, "role"}


def check(sheet: Sheet, progress: Progress) -> list[CommissionPlan]:
    plans: dict[str, CommissionPlan] = {}
    first_row: dict[str, int] = {}
    seats: dict[tuple, int] = {}  # (commission, username, role) → row
    chairs: dict[str, tuple[int, str]] = {}  # commission → (row, username)
    people: dict[str, tuple[int, str]] = {}  # username → (row, full name)
    for done, row in enumerate(sheet.rows(), start=1):
        progress(done)
        code, name, role = row["commission"], row["username"], row["role"]
        if code:
            plan = plans.setdefault(code, CommissionPlan(code=code, values={}, people=[]))
            first = first_row.setdefault(code, row.number)
            # The commission's columns repeat on every row; a row may leave them empty, but
            # two rows may not disagree.
            for key in COMMISSION_FIELDS:
                value = row[key]
                if not row.has(key) or value is None:
                    continue
                if plan.values.get(key) is None:
                    plan.values[key] = value
                elif plan.values[key] != value:
                    row.problem(key, _differs(plan.values[key], first))
        if name and code and role:
            earlier = seats.setdefault((code, name.lower(), role), row.number)
            if earlier != row.number:
                row.problem(
                    "username",
                    _("«%(value)s» already has this role in row %(row)s")
                    % {"value": name, "row": earlier},
                )
            if role == Membership.Role.CHAIR:
                chair_row, chair = chairs.setdefault(code, (row.number, name))
                if chair_row != row.number:
                    row.problem(
                        "role",
                        _("commission «%(code)s» already has a chair: %(name)s in row %(row)s")
                        % {"code": code, "name": chair, "row": chair_row},
                    )
        if name and row["full_name"]:
            person_row, full_name = people.setdefault(name.lower(), (row.number, row["full_name"]))
            if full_name != row["full_name"]:
                row.problem("full_name", _differs(full_name, person_row))
        if code and not sheet.problems:
            person = {"username": name, "full_name": row["full_name"], "role": role}
            if row.has("email") and row["email"]:
                person["email"] = row["email"]
            if row.has("employee") and row["employee"]:
                person["employee"] = row["employee"] == "yes"
            plans[code].people.append(person)
    for plan in plans.values():
        plan.values["kind"] = plan.values.get("kind") or Commission.Kind.SAC
        if "programme" in sheet.index:
            plan.values["programme"] = plan.values.get("programme") or ""
    return list(plans.values())


def _differs(value, row: int) -> str:
    return _("differs from row %(row)s («%(value)s»)") % {"row": row, "value": value}


def apply(plan: list[CommissionPlan]) -> Outcome:
    outcome = Outcome(
        counts={
            "commissions_created": 0,
            "commissions_updated": 0,
            "people_created": 0,
            "roles_added": 0,
            "roles_removed": 0,
            "roles_kept": 0,
        }
    )
    counts = outcome.counts
    everyone = [p for item in plan for p in item.people]
    users = users_by_username(p["username"] for p in everyone)
    new_users: dict[str, User] = {}
    for person in everyone:
        key = person["username"].lower()
        user = users.get(key)
        if user is None and key not in new_users:
            new_users[key] = User(
                username=person["username"],
                full_name=person["full_name"],
                email=person.get("email", ""),
                password=make_password(None),
                is_university_employee=person.get("employee", False),
            )
        elif user is not None:
            values = {"full_name": person["full_name"]}
            if "email" in person:
                values["email"] = person["email"]
            if "employee" in person:
                values["is_university_employee"] = person["employee"]
            if changed(user, values):
                user.save(update_fields=list(values))
    User.objects.bulk_create(new_users.values())
    counts["people_created"] = len(new_users)
    users = users_by_username(p["username"] for p in everyone)

    for item in plan:
        commission = Commission.objects.filter(code=item.code).first()
        if commission is None:
            commission = Commission.objects.create(code=item.code, **item.values)
            counts["commissions_created"] += 1
        elif changed(commission, item.values):
            commission.save()
            counts["commissions_updated"] += 1
        wanted = {(users[p["username"].lower()].pk, p["role"]): p for p in item.people}
        current = {(m.user_id, m.role): m for m in commission.memberships.all()}
        # Removals first: the database allows one chair per commission at any moment.
        stale = [m.pk for key, m in current.items() if key not in wanted]
        Membership.objects.filter(pk__in=stale).delete()
        counts["roles_removed"] += len(stale)
        for key, person in wanted.items():
            if key in current:
                counts["roles_kept"] += 1
                action = "unchanged"
            else:
                Membership.objects.create(commission=commission, user_id=key[0], role=key[1])
                counts["roles_added"] += 1
                action = "created"
            role_label = Membership.Role(person["role"]).label
            outcome.show(action, item.code, person["username"], person["full_name"], role_label)
        outcome.warnings.extend(commission_setup_warnings(commission))
    return outcome


KIND = ImportKind(
    key="commissions",
    title=gettext_lazy("Commission composition"),
    description=gettext_lazy(
        "One row per person and role; the commission's columns repeat on each row. Creates "
        "missing commissions and accounts. The file gives each commission's whole composition: "
        "a person left out loses that role in that commission."
    ),
    columns=COLUMNS,
    check=check,
    apply=apply,
    count_labels={
        "commissions_created": gettext_lazy("commissions created"),
        "commissions_updated": gettext_lazy("commissions updated"),
        "people_created": gettext_lazy("accounts created (without a password)"),
        "roles_added": gettext_lazy("roles added"),
        "roles_kept": gettext_lazy("roles unchanged"),
        "roles_removed": gettext_lazy("roles removed"),
    },
    preview_headers=[
        gettext_lazy("Commission"),
        gettext_lazy("Username"),
        gettext_lazy("Full name"),
        gettext_lazy("Role"),
    ],
)
