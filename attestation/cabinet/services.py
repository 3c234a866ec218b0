"""The student's schedule, read with hand-written SQL (core/rawsql.py).

Every student opens it on exam day (the cabinet, Training → SAC): the ORM compiled the
examinee–sitting–commission join and the applications' prefetch afresh on each request, a
third of the page's time (bench/run.py). Two statements, the same instances as before:
`examinee.sitting.commission` filled in, and `examinee.filed_applications` (what may still be
filed, per row: applications/views.py `filing_options`)."""

from attestation.applications.models import Application
from attestation.commissions.models import Commission, Examinee, Sitting
from attestation.core.rawsql import columns, fetch_instances, table

SCHEDULE_SQL = f"""
    SELECT {columns(Examinee, "e")}, {columns(Sitting, "si")}, {columns(Commission, "c")}
    FROM {table(Examinee)} e
    JOIN {table(Sitting)} si ON si.id = e.sitting_id
    JOIN {table(Commission)} c ON c.id = si.commission_id
    JOIN "accounts_student" st ON st.id = e.student_id
    WHERE st.user_id = %s
    ORDER BY si.starts_at, e.sitting_id, e.id
"""  # noqa: S608 — names from our models; values are parameters


def _applications_sql(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT {columns(Application, 'a')} FROM {table(Application)} a "  # noqa: S608
        f"WHERE a.examinee_id IN ({marks}) ORDER BY a.submitted_at DESC, a.id"
    )


def student_schedule(*, user) -> list[Examinee]:
    """The student's sittings, soonest first (R-4.1, R-18.1)."""
    if not getattr(user, "pk", None):
        return []
    schedule = []
    for examinee, sitting, commission in fetch_instances(
        SCHEDULE_SQL, [user.pk], (Examinee, Sitting, Commission)
    ):
        sitting.commission = commission
        examinee.sitting = sitting
        schedule.append(examinee)
    if schedule:
        by_examinee = {examinee.pk: [] for examinee in schedule}
        ids = list(by_examinee)
        for (application,) in fetch_instances(_applications_sql(len(ids)), ids, (Application,)):
            by_examinee[application.examinee_id].append(application)
        for examinee in schedule:
            examinee.filed_applications = by_examinee[examinee.pk]
    return schedule
