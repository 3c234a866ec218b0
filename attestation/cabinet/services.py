from django.db.models import QuerySet

from attestation.commissions.models import Examinee


def student_schedule(*, user) -> QuerySet[Examinee]:
    """The student's sittings, soonest first (R-4.1, R-18.1)."""
    return (
        Examinee.objects.filter(student__user=user)
        .select_related("sitting__commission")
        .prefetch_related("applications")  # what may still be filed, per row (applications)
        .order_by("sitting__starts_at", "sitting_id")
    )
