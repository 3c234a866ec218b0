"""Students: accounts and student records, one row per student."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.accounts.models import Student, User
from attestation.imports.columns import CellError, Column, Sheet, text
from attestation.imports.columns import gpa as parse_gpa
from attestation.imports.kinds.base import ImportKind, Outcome, Progress, changed
from attestation.imports.kinds.common import (
    EMAIL,
    FULL_NAME,
    PROGRAMME,
    USERNAME,
    chunks,
    users_by_username,
)

GROUP = Column(
    key="group",
    label=gettext_lazy("Group"),
    titles={"en": "Group", "kk": "Топ", "ru": "Группа"},
    aliases=("academic group", "академиялық топ", "академическая группа"),
    parse=text(50),
    example="ИС-22-1",
)
ID_DOCUMENT = Column(
    key="id_document",
    label=gettext_lazy("ID document number"),
    titles={"en": "ID document number", "kk": "Жеке куәлік нөмірі", "ru": "Номер удостоверения"},
    aliases=("id number", "document number", "жеке куәлік", "удостоверение", "номер документа"),
    parse=text(40),
    example="045612789",
    required=False,
)
PASSWORD = Column(
    key="password",
    label=gettext_lazy("Initial password"),
    titles={"en": "Initial password", "kk": "Бастапқы құпиясөз", "ru": "Начальный пароль"},
    aliases=("password", "пароль", "құпиясөз", "құпия сөз"),
    parse=text(128, one_line=False),
    example="",
    required=False,
)
# K-10: from the student information system. Read in `check`, not by the column, so that
# a bad value's message names the student (a GPA is easily pasted into the wrong row).
GPA = Column(
    key="gpa",
    label=gettext_lazy("GPA"),
    titles={"en": "GPA", "kk": "GPA", "ru": "GPA"},
    aliases=("grade point average", "орташа балл", "средний балл", "gpa балл"),
    parse=lambda value: value,
    example="3.67",
    required=False,
)
COLUMNS = [USERNAME, FULL_NAME, GROUP, PROGRAMME, EMAIL, ID_DOCUMENT, PASSWORD, GPA]


@dataclass
class StudentRow:
    number: int
    username: str
    full_name: str
    email: str
    group: str
    programme: str
    id_document: str | None  # None: the column is not in the file, leave it as it is
    password: str = ""
    gpa: Decimal | None = None
    has_gpa: bool = False  # the column is in the file: an empty cell clears the GPA
    password_hash: str = ""  # made in `prepare`, outside the transaction


def check(sheet: Sheet, progress: Progress) -> list[StudentRow]:
    rows = list(sheet.rows())
    existing = users_by_username(row["username"] for row in rows)
    plan: list[StudentRow] = []
    first_seen: dict[str, int] = {}
    for done, row in enumerate(rows, start=1):
        progress(done)
        name = row["username"]
        if name:
            earlier = first_seen.setdefault(name.lower(), row.number)
            if earlier != row.number:
                row.problem(
                    "username",
                    _("«%(value)s» is already in row %(row)s") % {"value": name, "row": earlier},
                )
        password = row["password"] or ""
        gpa = None
        if row.has("gpa") and row["gpa"] is not None and str(row["gpa"]).strip():
            try:
                gpa = parse_gpa(row["gpa"])
            except CellError as error:
                who = row["full_name"] or name or ""
                row.problem("gpa", f"{who}: {error.message}" if who else error.message)
        user = existing.get(name.lower()) if name else None
        # An initial password is set only where there is none yet: re-importing the file must
        # not undo a password the student has since changed.
        wants_password = bool(password) and (user is None or not user.has_usable_password())
        if wants_password:
            probe = User(username=name or "", email=row["email"] or "", full_name="")
            try:
                password_validation.validate_password(password, user=probe)
            except ValidationError as error:
                row.problem("password", " ".join(error.messages))
        if sheet.problems:
            continue  # nothing will be saved; keep checking rows, skip building the plan
        plan.append(
            StudentRow(
                number=row.number,
                username=name,
                full_name=row["full_name"],
                email=row["email"],
                group=row["group"],
                programme=row["programme"],
                id_document=(row["id_document"] or "") if row.has("id_document") else None,
                password=password if wants_password else "",
                gpa=gpa,
                has_gpa=row.has("gpa"),
            )
        )
    return plan


def prepare(plan: list[StudentRow], progress: Progress) -> None:
    """Hash the given initial passwords (PBKDF2 is slow on purpose: this is the long part)."""
    for done, item in enumerate(plan, start=1):
        if item.password:
            item.password_hash = make_password(item.password)
            item.password = ""
        progress(done)


def apply(plan: list[StudentRow]) -> Outcome:
    outcome = Outcome(
        counts={"created": 0, "updated": 0, "unchanged": 0, "without_password": 0, "passwords": 0}
    )
    counts = outcome.counts
    users = users_by_username(item.username for item in plan)
    new_users = []
    for item in plan:
        if item.username.lower() not in users:
            # make_password(None): an unusable password, made without hashing anything.
            new_users.append(
                User(
                    username=item.username,
                    full_name=item.full_name,
                    email=item.email,
                    password=item.password_hash or make_password(None),
                )
            )
            counts["passwords" if item.password_hash else "without_password"] += 1
    User.objects.bulk_create(new_users, batch_size=500)
    created_names = {user.username.lower() for user in new_users}
    users = users_by_username(item.username for item in plan)

    students = {}
    for part in chunks([user.pk for user in users.values()]):
        students |= {s.user_id: s for s in Student.objects.filter(user_id__in=part)}
    changed_users, new_students, changed_students = [], [], []
    for item in plan:
        user = users[item.username.lower()]
        user_changed = False
        if item.username.lower() not in created_names:
            user_changed = changed(user, {"full_name": item.full_name, "email": item.email})
            if item.password_hash and not user.has_usable_password():
                user.password = item.password_hash
                counts["passwords"] += 1
                user_changed = True
            if user_changed:
                changed_users.append(user)
        values = {"group": item.group, "programme": item.programme}
        if item.id_document is not None:
            values["id_document_number"] = item.id_document
        if item.has_gpa:
            values["gpa"] = item.gpa
        student = students.get(user.pk)
        if student is None:
            new_students.append(Student(user=user, **values))
            action = "created"
        elif changed(student, values) or user_changed:
            changed_students.append(student)
            action = "updated"
        else:
            action = "unchanged"
        counts[action] += 1
        outcome.show(action, item.username, item.full_name, item.group, item.programme)
    User.objects.bulk_update(changed_users, ["full_name", "email", "password"], batch_size=500)
    Student.objects.bulk_create(new_students, batch_size=500)
    Student.objects.bulk_update(
        changed_students, ["group", "programme", "id_document_number", "gpa"], batch_size=500
    )
    return outcome


KIND = ImportKind(
    key="students",
    title=gettext_lazy("Students"),
    description=gettext_lazy(
        "One row per student. Creates the account and the student record, or updates them "
        "(found by username). Without an initial password the account cannot sign in until "
        "a password is set."
    ),
    columns=COLUMNS,
    check=check,
    prepare=prepare,
    apply=apply,
    count_labels={
        "created": gettext_lazy("students created"),
        "updated": gettext_lazy("students updated"),
        "unchanged": gettext_lazy("students unchanged"),
        "passwords": gettext_lazy("initial passwords set"),
        "without_password": gettext_lazy(
            "new accounts without a password (they cannot sign in until one is set)"
        ),
    },
    preview_headers=[
        gettext_lazy("Username"),
        gettext_lazy("Full name"),
        gettext_lazy("Group"),
        gettext_lazy("Educational programme"),
    ],
)
