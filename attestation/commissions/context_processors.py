from django.conf import settings
from django.utils.translation import gettext as _

from attestation.commissions.access import roles_of


def site(request):
    """The university's name, logo and support contacts (R-28.1), and the signed-in person's
    roles for the navigation."""
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None and user.is_authenticated else set()
    return {
        "university_name": settings.UNIVERSITY_NAME or _("University"),
        "university_logo_url": settings.UNIVERSITY_LOGO_URL,
        "support": {
            "email": settings.SUPPORT_EMAIL,
            "phone": settings.SUPPORT_PHONE,
            "hours": settings.SUPPORT_HOURS,
        },
        "roles": roles,
        "is_staff_role": bool(roles & {"chair", "member", "secretary"}),
        "debug": settings.DEBUG,
    }
