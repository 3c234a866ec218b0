"""The department's notice of an uploaded thesis (R-19.1), in the site's default language."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from attestation.defense.models import Thesis


def thesis_mail_send(*, thesis_id: int) -> bool:
    """False when there is no department address or the thesis is gone."""
    address = getattr(settings, "DEPARTMENT_EMAIL", "")
    thesis = (
        Thesis.objects.select_related("examinee__sitting__commission", "examinee__student__user")
        .filter(pk=thesis_id)
        .first()
    )
    if not address or thesis is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "thesis": thesis,
            "examinee": thesis.examinee,
            "sitting": thesis.examinee.sitting,
        }
        subject = render_to_string("defense/mail/thesis_subject.txt", context)
        body = render_to_string("defense/mail/thesis_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [address])
    return True
