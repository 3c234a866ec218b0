from django.http import Http404

from attestation.commissions.access import get_examinee_for_staff, get_examinee_for_student
from attestation.commissions.models import Examinee


def viewer_examinee(user, examinee_id) -> Examinee:
    """Who may see an answer: its student, and the chair, members and secretary of its
    sitting's commission. Anyone else gets 404 (STYLE.md: not 403)."""
    try:
        return get_examinee_for_student(user, examinee_id)
    except Http404:
        return get_examinee_for_staff(user, examinee_id)
