from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from attestation.accounts.models import ApiToken, SignInFailure, User
from attestation.audit.services import log_action
from attestation.core.rawsql import columns, datetime_param, fetch_instances, table


def _signin_key(username: str) -> str:
    # Usernames are matched case-insensitively by the sign-in form's backend; the counter is
    # keyed on the same folded name, compared exactly (an index lookup, no LIKE).
    return username.strip().casefold()[:150]


def signin_attempt_begin(*, username: str, ip: str | None) -> SignInFailure | None:
    """Count this attempt before the password is checked, then decide: None when the caller
    is over the limit, else the attempt's row (which `signin_attempt_end` keeps as a failure
    or removes on success).

    Insert-then-count is what makes it hold under a parallel burst: every attempt's row is
    committed before it counts, so each counts itself and every attempt that counted before
    it (those rows stay: only a refused attempt or a success removes rows); so at most
    `SIGNIN_MAX_FAILURES` attempts see a count within the limit, however many arrive at
    once. Nothing is locked or updated in place, so it holds on SQLite and
    PostgreSQL alike.

    Limits are per (account, client address) and per address, never per account alone:
    five wrong guesses from a stranger must not lock the real chair out from everywhere.
    """
    key = _signin_key(username)
    attempt = SignInFailure.objects.create(username=key, ip=ip)
    since = timezone.now() - timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS)
    recent = SignInFailure.objects.filter(at__gte=since)
    limit = settings.SIGNIN_MAX_FAILURES
    by_pair = recent.filter(username=key, ip=ip).count()
    # An address gets more room than an account: a whole class may sit behind one NAT.
    by_ip = recent.filter(ip=ip).count() if ip else 0
    if by_pair > limit or by_ip > limit * settings.SIGNIN_ADDRESS_FACTOR:
        # A refused attempt does not count again: the lock lasts one window from the last
        # real failure, not for as long as someone keeps knocking.
        attempt.delete()
        return None
    return attempt


def signin_attempt_end(*, attempt: SignInFailure, succeeded: bool) -> None:
    """A success clears this account's failures from this address (its own row too); a
    failure stays counted for the window."""
    if succeeded:
        SignInFailure.objects.filter(username=attempt.username, ip=attempt.ip).delete()
        attempt.delete()
    # Old rows are of no use to any window; drop them here rather than in a separate job.
    since = timezone.now() - timedelta(seconds=settings.SIGNIN_WINDOW_SECONDS)
    SignInFailure.objects.filter(at__lt=since).delete()


def api_token_issue(*, user: User) -> str:
    """A new bearer token; only its hash is kept."""
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash(key),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return key


def api_token_revoke(*, key: str) -> bool:
    """Sign one token out (POST /api/v1/auth/logout): it stops working at once."""
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True)
            .select_related("user")
            .first()
        )
        if token is None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_action(actor=token.user, action="api_token.revoke", target=token.user, reason="logout")
    return True


def api_tokens_revoke_all(*, user: User, actor: User | None, reason: str) -> int:
    """Every live token of a person stops working: after a password change (the old password
    may have leaked, and so may tokens issued with it) or when the staff revoke them."""
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if count:
            log_action(
                actor=actor,
                action="api_token.revoke_all",
                target=user,
                reason=reason,
                data={"tokens": count},
            )
    return count


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


def student_gpa_set(*, student, gpa, actor):
    """The registrar sets or corrects a student's GPA (K-10) outside an import (the admin):
    one audit row with the old and the new value. `gpa` None clears it."""
    with transaction.atomic():
        before = type(student).objects.filter(pk=student.pk).values_list("gpa", flat=True).first()
        student.gpa = gpa
        student.save(update_fields=["gpa"])
        if before != gpa:
            log_action(
                actor=actor,
                action="student.gpa",
                target=student,
                from_state="" if before is None else str(before),
                to_state="" if gpa is None else str(gpa),
            )
    return student
