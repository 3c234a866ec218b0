"""The browser's entry poll (R-9.2) on its own fast path.

Every waiting student's browser asks `/<lang>/exam/<id>/entry/` every 3 s with its session
cookie: 3,000 students are 1,000 requests a second. Through the whole middleware chain, the
session and user lookups and the template it ran at 0.15 of the static file (bench/run.py);
here it is one query and no template:

- one statement reads the session row, the examinee, its student's user, the sitting's form
  and whether a ticket is drawn; the session's signature, the user it names and the password
  hash it was issued for are checked in Python exactly as `django.contrib.auth.get_user`
  checks them (each answer remembered for the same session data and password hash);
- nothing is written (a poll never modifies the session);
- the fragment is `cabinet/_entry.html`, rendered by the template engine once per state and
  language and then reused (the key holds every value the fragment shows);
- an `ETag` of the fragment: a browser that has it gets `304 Not Modified`.

It is answered twice over: by `EntryPollApp`, in front of Django's handler (wsgi.py: no
request object, signals or middleware, so the poll costs less than the static file through
Django), and by `EntryPollMiddleware` where a request reaches Django some other way (the test
client). Both give the same status, headers and bytes: the headers the chain's security
middlewares add are taken from those middlewares, not copied by hand.

Anything this path cannot answer with certainty — no cookie, an unknown or expired session,
someone else's examinee, a changed password, a signed-out user, a host not allowed, plain HTTP
where HTTPS is required — falls through to the ordinary view, which redirects, 404s or flushes
the session as before. State is always read from the database, so an admission on another
web node turns the entry green on the next poll.
"""

import hashlib
import re
from functools import lru_cache
from importlib import import_module
from io import BytesIO

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseNotModified
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.template.loader import render_to_string
from django.test.signals import setting_changed
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


@lru_cache(maxsize=8192)  # ~0.5 kB each: a few MB per worker at most
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


@lru_cache(maxsize=16384)  # one per signed-in student; the same data decodes the same
def _session_user(data: str) -> tuple[str, str, str]:
    """(user id, backend, password hash) of a session's data, its signature checked."""
    session = _session_store()().decode(data)
    return (
        str(session.get(SESSION_KEY)),
        session.get(BACKEND_SESSION_KEY) or "",
        session.get(HASH_SESSION_KEY) or "",
    )


@lru_cache(maxsize=16384)
def hash_matches(session_hash: str, password: str) -> bool:
    """As auth.get_user: the session was issued for the current password (a password
    change signs other sessions out), with the secret key or one of its fallbacks."""
    if not session_hash:
        return False
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        expected = salted_hmac(HASH_SALT, password, secret=secret, algorithm="sha256").hexdigest()
        if constant_time_compare(session_hash, expected):
            return True
    return False


def _forget(**kwargs):
    """A changed setting (tests; in production settings never change while a process runs):
    what was remembered under the old secret key or session engine is not vouched for."""
    for remembered in (_session_user, hash_matches, fragment):
        remembered.cache_clear()


setting_changed.connect(_forget)


def poll_path():
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/({languages})/exam/(\d+)/entry/$")


def poll_answer(session_key: str | None, language: str, pk: str, etag_seen: str | None):
    """(status, headers, body) of the poll for this session, or None when the fast path
    cannot vouch for it. The headers are the poll's own, not the chain's security headers."""
    pk = row_id(pk)
    if not session_key or pk is None or len(session_key) > 40:
        return None
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    try:
        with planned_cursor() as cursor:
            cursor.execute(POLL_SQL, [session_key, now, pk])
            row = cursor.fetchone()
    except DatabaseError:
        return None  # the ordinary path says what went wrong
    if row is None:
        return None
    data, user_id, password, status, position, acknowledged, form, drawn = row
    session_user, backend, session_hash = _session_user(data)
    if session_user != str(user_id) or backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    if not hash_matches(session_hash, password):
        return None
    body, etag = fragment(language, pk, status, position, bool(acknowledged), form, bool(drawn))
    if etag_seen == etag:
        code, body = 304, b""
        headers = []
    else:
        code = 200
        headers = [("Content-Type", "text/html; charset=utf-8")]
    return (
        code,
        headers
        + [
            ("Content-Length", str(len(body))),
            ("ETag", etag),
            # Revalidate every time (the state changes on the secretary's click), per user.
            ("Cache-Control", "private, no-cache"),
            ("Vary", "Cookie"),
            ("Content-Language", language),
            ("X-Frame-Options", settings.X_FRAME_OPTIONS),
        ],
        body,
    )


class EntryPollMiddleware:
    """Answers the entry poll before sessions, locale, CSRF, auth and URL resolution; every
    other request (and every poll it cannot answer) goes down the chain untouched."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = poll_path()

    def __call__(self, request):
        if request.method == "GET":
            match = self.path.match(request.path_info)
            if match:
                key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
                etag = request.headers.get("If-None-Match")
                answer = poll_answer(key, match[1], match[2], etag)
                if answer is not None:
                    code, headers, body = answer
                    response = HttpResponseNotModified() if code == 304 else HttpResponse(body)
                    for name, value in headers:
                        response[name] = value
                    return response
        return self.get_response(request)


class EntryPollApp:
    """WSGI, in front of Django's handler: the poll answered with no request object, signal
    or middleware; the security headers those middlewares would add are added here, taken
    from them once (for HTTP and for HTTPS). Every other request goes to Django."""

    def __init__(self, application):
        self.application = application
        self.path = poll_path()
        self.headers = {}

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET":
            match = self.path.match(environ.get("PATH_INFO", ""))
            if match:
                answered = self.answer(environ, match, start_response)
                if answered is not None:
                    return answered
        return self.application(environ, start_response)

    def answer(self, environ, match, start_response):
        secure = is_secure(environ)
        if (settings.SECURE_SSL_REDIRECT and not secure) or not host_allowed(environ):
            return None  # Django redirects or answers 400
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        answer = poll_answer(
            cookies.get(settings.SESSION_COOKIE_NAME),
            match[1],
            match[2],
            environ.get("HTTP_IF_NONE_MATCH"),
        )
        if answer is None:
            return None
        code, headers, body = answer
        if secure not in self.headers:
            self.headers[secure] = chain_headers(secure)
        start_response(STATUS_LINES[code], headers + self.headers[secure])
        return [body]


STATUS_LINES = {200: "200 OK", 304: "304 Not Modified"}


def is_secure(environ) -> bool:
    """As HttpRequest.scheme: the proxy's header when configured and sent, else the server's."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def host_allowed(environ) -> bool:
    """As HttpRequest.get_host: the host the request names is one of ALLOWED_HOSTS."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, allowed)


def chain_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers the middlewares above `EntryPollMiddleware` put on its answer (Django's
    SecurityMiddleware, our CSP and Permissions-Policy): run them on one response rather than
    list them here, so a setting changed there changes both paths."""
    from django.middleware.security import SecurityMiddleware

    from attestation.core.headers import SecurityHeadersMiddleware

    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "wsgi.input": BytesIO(),
            "wsgi.url_scheme": "https" if secure else "http",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "443" if secure else "80",
        }
    )
    response = HttpResponse()
    before = set(response.headers)
    response = SecurityMiddleware(lambda _r: response).process_response(request, response)
    response = SecurityHeadersMiddleware(lambda _r: response)(request)
    return [(name, value) for name, value in response.items() if name not in before]
