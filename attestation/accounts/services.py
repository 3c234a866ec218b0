from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from attestation.accounts.models import ApiToken, SignInFailure, User
from attestation.audit.services import log_action
from attestation.core.rawsql import columns, datetime_param, fetch_instances, table


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


TOKEN_USER_SQL = f"""
    SELECT {columns(User, "u")} FROM {table(User)} u
    JOIN {table(ApiToken)} t ON t.user_id = u.id
    WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s AND u.is_active
    LIMIT 1
"""  # noqa: S608 — names from our models; values are parameters


def api_token_user(*, key: str) -> User | None:
    """The active owner of a live token. Hand-written SQL: it runs on every API request
    (core/rawsql.py)."""
    rows = fetch_instances(
        TOKEN_USER_SQL, [ApiToken.hash(key), datetime_param(timezone.now())], (User,)
    )
    return rows[0][0] if rows else None


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
