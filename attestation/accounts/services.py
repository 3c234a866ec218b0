from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from attestation.accounts.models import ApiToken, SignInFailure, User
from attestation.audit.services import log_action


def signin_locked(*, username: str, ip: str | None) -> bool:
    """Too many recent failures for this username, or from this address."""
    since = timezone.now() - timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS)
    recent = SignInFailure.objects.filter(at__gte=since)
    by_name = recent.filter(username__iexact=username).count()
    # An address gets more room than a username: a whole class may sit behind one NAT.
    by_ip = recent.filter(ip=ip).count() if ip else 0
    limit = settings.SIGNIN_MAX_FAILURES
    return by_name >= limit or by_ip >= limit * 10


def signin_failure_record(*, username: str, ip: str | None) -> None:
    SignInFailure.objects.create(username=username[:150], ip=ip)


def signin_succeeded(*, username: str) -> None:
    SignInFailure.objects.filter(username__iexact=username).delete()


def api_token_issue(*, user: User) -> str:
    """A new bearer token; only its hash is kept."""
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash(key),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return key


def api_token_user(*, key: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, expires_at__gt=now)
        .filter(Q(user__is_active=True))
        .first()
    )
    return token.user if token else None


def user_language_set(*, user: User, language: str) -> User:
    """The person's language: pages follow the URL, but mail goes out in this one."""
    if user.language != language:
        old = user.language
        user.language = language
        user.save(update_fields=["language"])
        log_action(
            actor=user, action="user.language", target=user, from_state=old, to_state=language
        )
    return user
