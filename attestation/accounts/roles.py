"""The registrar's permissions in the admin, as one group.

The registrar sets up the whole university (people, commissions, sittings, ticket banks) and
reads everything else. Exam-day records (scores, answers, incidents, draws, the audit log) are
view-only in the admin: they change only through the services, which write the audit row.
"""

REGISTRAR_GROUP = "registrar"

OUR_APPS = (
    "accounts",
    "commissions",
    "tickets",
    "answers",
    "grading",
    "proctoring",
    "live",
    "defense",
    "applications",
    "conference",
    "notices",
    "imports",
    "audit",
)

# (app label, model) the registrar may add, change and delete; every other model of our apps
# is view-only.
EDITABLE = {
    ("accounts", "user"),
    ("accounts", "student"),
    ("accounts", "departmentprogramme"),
    ("commissions", "commission"),
    ("commissions", "membership"),
    ("commissions", "sitting"),
    ("commissions", "examinee"),
    ("tickets", "ticketbank"),
    ("tickets", "ticket"),
    ("tickets", "question"),
    ("notices", "notice"),
}


def registrar_group_sync(*, apps) -> None:
    """Create or refresh the group's permissions and put every registrar in it. `apps` is the
    migration state or django.apps.apps; idempotent, so it also runs after every migrate and
    picks up models added later."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("accounts", "User")
    group, _ = Group.objects.get_or_create(name=REGISTRAR_GROUP)
    wanted = []
    for permission in Permission.objects.filter(
        content_type__app_label__in=OUR_APPS
    ).select_related("content_type"):
        action = permission.codename.split("_", 1)[0]
        model = (permission.content_type.app_label, permission.content_type.model)
        if action == "view" or model in EDITABLE:
            wanted.append(permission)
    group.permissions.set(wanted)
    for user in User.objects.filter(is_registrar=True):
        user.groups.add(group)
    User.objects.filter(is_registrar=True, is_staff=False).update(is_staff=True)


def registrar_membership_sync(user) -> None:
    """The group follows the registrar flag of one user (admin, demo, import, shell)."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=REGISTRAR_GROUP)
    if user.is_registrar:
        user.groups.add(group)
    else:
        user.groups.remove(group)
