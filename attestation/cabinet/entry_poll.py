"""The browser's entry poll (R-9.2) on its own fast path.

Every waiting student's browser asks `/<lang>/exam/<id>/entry/` every 3 s with its session
cookie: 3,000 students are 1,000 requests a second. Through the whole middleware chain, the
session and user lookups and the template it ran at 0.15 of the static file (bench/run.py);
here it is one query and no template:

- one statement reads the session row, the examinee, its student's user, the sitting's form
  and whether a ticket is drawn; the session's signature, the user it names and the password
  hash it was issued for are checked in Python exactly as `django.contrib.auth.get_user`
  checks them;
- nothing is written (a poll never modifies the session);
- the fragment is `cabinet/_entry.html`, rendered by the template engine once per state and
  language and then reused (the key holds every value the fragment shows);
- an `ETag` of the fragment: a browser that has it gets `304 Not Modified`.

Anything this path cannot answer with certainty — no cookie, an unknown or expired session,
someone else's examinee, a changed password, a signed-out user — falls through to the
ordinary view, which redirects, 404s or flushes the session as before. State is always read
from the database, so an admission on another web node turns the entry green on the next poll.
"""

import hashlib
import re
from functools import lru_cache
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac

from attestation.accounts.models import Student, User
from attestation.cabinet.entry import entry_state_of
from attestation.commissions.models import Examinee, Sitting
from attestation.core.rawsql import planned_cursor, row_id
from attestation.tickets.models import Draw

POLL_SQL = f"""
    SELECT s.session_data, u.id, u.password, e.status, e.position,
           e.rules_acknowledged_at IS NOT NULL, si.form, d.id IS NOT NULL
    FROM {Session._meta.db_table} s
    CROSS JOIN {Examinee._meta.db_table} e
    JOIN {Student._meta.db_table} st ON st.id = e.student_id
    JOIN {User._meta.db_table} u ON u.id = st.user_id
    JOIN {Sitting._meta.db_table} si ON si.id = e.sitting_id
    LEFT JOIN {Draw._meta.db_table} d ON d.examinee_id = e.id
    WHERE s.session_key = %s AND s.expire_date > %s AND e.id = %s AND u.is_active
"""  # noqa: S608 — table names from our models; values are parameters
# The salt AbstractBaseUser.get_session_auth_hash uses.
HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


class _Examinee:
    """What the fragment reads of an examinee: its id, status and sitting's form."""

    def __init__(self, pk: int, status: str, form: str):
        self.pk, self.id, self.status = pk, pk, status
        self.sitting = Sitting(form=form)

    def __getattr__(self, name):
        # A fragment that starts reading more of the examinee must add it to the key of
        # `fragment`: not an AttributeError (which templates swallow), so tests fail loudly.
        raise LookupError(f"cabinet/_entry.html reads examinee.{name}: add it to entry_poll")


@lru_cache(maxsize=32768)
def fragment(
    language: str,
    pk: int,
    status: str,
    position: int,
    rules_acknowledged: bool,
    form: str,
    drawn: bool,
) -> tuple[bytes, str]:
    """The fragment's bytes and ETag for one state, rendered once per language."""
    with translation.override(language):
        entry = entry_state_of(status, position, True if rules_acknowledged else None)
        html = render_to_string(
            "cabinet/_entry.html",
            {"examinee": _Examinee(pk, status, form), "entry": entry, "drawn": drawn},
        )
    body = html.encode()
    return body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


class EntryPollMiddleware:
    """Answers the entry poll before sessions, locale, CSRF, auth and URL resolution; every
    other request (and every poll it cannot answer) goes down the chain untouched."""

    def __init__(self, get_response):
        self.get_response = get_response
        languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
        self.path = re.compile(rf"^/({languages})/exam/(\d+)/entry/$")
        self.store = _session_store()
        self.backends = set(settings.AUTHENTICATION_BACKENDS)

    def __call__(self, request):
        if request.method == "GET":
            match = self.path.match(request.path_info)
            if match:
                response = self.answer(request, match[1], match[2])
                if response is not None:
                    return response
        return self.get_response(request)

    def answer(self, request, language: str, pk: str):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        pk = row_id(pk)
        if not key or pk is None or len(key) > 40:
            return None
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        try:
            with planned_cursor() as cursor:
                cursor.execute(POLL_SQL, [key, now, pk])
                row = cursor.fetchone()
        except DatabaseError:
            return None  # the ordinary path says what went wrong
        if row is None:
            return None
        data, user_id, password, status, position, acknowledged, form, drawn = row
        session = self.store().decode(data)
        if str(session.get(SESSION_KEY)) != str(user_id):
            return None
        if session.get(BACKEND_SESSION_KEY) not in self.backends:
            return None
        if not self.hash_matches(session.get(HASH_SESSION_KEY), password):
            return None
        body, etag = fragment(language, pk, status, position, bool(acknowledged), form, bool(drawn))
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="text/html; charset=utf-8")
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = etag
        # Revalidate every time (the state changes on the secretary's click), per user.
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Cookie"
        response["Content-Language"] = language
        response["X-Frame-Options"] = "DENY"
        return response

    @staticmethod
    def hash_matches(session_hash, password: str) -> bool:
        """As auth.get_user: the session was issued for the current password (a password
        change signs other sessions out), with the secret key or one of its fallbacks."""
        if not session_hash:
            return False
        for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
            expected = salted_hmac(
                HASH_SALT, password, secret=secret, algorithm="sha256"
            ).hexdigest()
            if constant_time_compare(session_hash, expected):
                return True
        return False
