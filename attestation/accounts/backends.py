"""Sign-in as Django's ModelBackend does; the signed-in person is read in one query.

`get_user` runs on every page a signed-in person opens. The ORM compiled a user query, then a
student query (`hasattr(user, "student")`, for the roles and the navigation), then a
membership query even for the students who have none: on exam day, thousands of students
opening the exam room and the ticket page. One hand-written statement reads the user, their
student row (or its absence), whether they hold any commission role and how many of their
notices are unread (the navigation's badge, notices/templatetags: one ORM count less a page)."""

from functools import cache

from django.apps import apps
from django.contrib.auth.backends import ModelBackend

from attestation.accounts.models import Student, User
from attestation.core.rawsql import _converters, columns, planned_cursor, row_id, table

MODELS = (User, Student)


@cache
def user_sql() -> str:
    membership = apps.get_model("commissions", "Membership")  # that app imports this one
    notice = apps.get_model("notices", "Notice")
    return f"""
        SELECT {columns(User, "u")}, {columns(Student, "st")},
               EXISTS (SELECT 1 FROM {table(membership)} m WHERE m.user_id = u.id),
               (SELECT COUNT(*) FROM {table(notice)} n
                WHERE n.user_id = u.id AND n.read_at IS NULL)
        FROM {table(User)} u
        LEFT JOIN {table(Student)} st ON st.user_id = u.id
        WHERE u.id = %s
    """  # noqa: S608 — names from our models; values are parameters


def user_with_student(pk) -> User | None:
    """The user with `user.student` filled in (or known absent), `_has_memberships` and
    `_unread_notices` (as of the start of the request)."""
    pk = row_id(pk)
    if pk is None:
        return None
    compiler, converters = _converters(MODELS)
    with planned_cursor() as cursor:
        cursor.execute(user_sql(), [pk])
        rows = cursor.fetchall()
    if not rows:
        return None
    if converters:
        rows = list(compiler.apply_converters(rows, converters))
    row = list(rows[0])
    user_names = [f.attname for f in User._meta.concrete_fields]
    student_names = [f.attname for f in Student._meta.concrete_fields]
    split = len(user_names)
    user = User.from_db("default", user_names, row[:split])
    student_values = row[split : split + len(student_names)]
    related = User.student.related  # the reverse one-to-one, cached as select_related would
    if student_values[0] is None:
        related.set_cached_value(user, None)
    else:
        student = Student.from_db("default", student_names, student_values)
        student.user = user
        related.set_cached_value(user, student)
    user._has_memberships = bool(row[-2])
    user._unread_notices = int(row[-1])
    return user


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_with_student(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
