from django.utils import timezone

from attestation.notices.models import Notice


def notice_create(*, user, title: str, body: str = "", url: str = "") -> Notice:
    """One notice in the person's list (written in their language by the caller)."""
    user.__dict__.pop("_unread_notices", None)  # the count read with the user is stale now
    return Notice.objects.create(user=user, title=title[:300], body=body, url=url[:500])


def notices_mark_read(*, user) -> int:
    user.__dict__.pop("_unread_notices", None)
    return Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
