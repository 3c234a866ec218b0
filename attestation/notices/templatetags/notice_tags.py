from django import template

from attestation.notices.models import Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    # Read with the signed-in person (accounts/backends.py), unless notices were marked read
    # since in this request.
    counted = getattr(user, "_unread_notices", None)
    if counted is not None:
        return counted
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
