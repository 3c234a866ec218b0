"""The browser's entry poll on its fast path (cabinet/entry_poll.py): one query, no writes,
the same fragment as the template in every state and language, 304 when nothing changed, and
every request it cannot vouch for handed to the ordinary view."""

import io

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from attestation.cabinet.entry import entry_state
from attestation.cabinet.entry_poll import EntryPollApp
from attestation.commissions.models import Examinee
from attestation.tickets.services import examinee_draw, ticket_draw
from tests.personas import admit

pytestmark = pytest.mark.django_db
S = Examinee.Status


def poll(client, examinee, language="en", **headers):
    return client.get(f"/{language}/exam/{examinee.pk}/entry/", headers=headers)


def template_fragment(examinee, language):
    """What the ordinary view renders for this examinee."""
    examinee = Examinee.objects.select_related("sitting").get(pk=examinee.pk)
    with translation.override(language):
        return render_to_string(
            "cabinet/_entry.html",
            {
                "examinee": examinee,
                "entry": entry_state(examinee),
                "drawn": examinee_draw(examinee) is not None,
            },
        )


def test_a_poll_is_one_query_and_writes_nothing(world, client_for):
    client = client_for(world.user("student"))
    poll(client, world.examinee)  # warm: the fragment of this state is rendered once
    before = list(Session.objects.values_list("session_key", "session_data", "expire_date"))
    with CaptureQueriesContext(connection) as queries:
        response = poll(client, world.examinee)
    assert response.status_code == 200
    assert "entry--red" in response.content.decode()
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert list(Session.objects.values_list("session_key", "session_data", "expire_date")) == (
        before
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    "status", [S.WAITING, S.IDENTIFIED, S.SUSPENDED, S.TERMINATED, S.ABSENT, S.DONE]
)
def test_the_fragment_is_the_templates_in_every_state_and_language(
    world, client_for, status, language
):
    Examinee.objects.filter(pk=world.examinee.pk).update(status=status)
    response = poll(client_for(world.user("student")), world.examinee, language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert response.content.decode() == template_fragment(world.examinee, language)


def test_admitted_then_drawn_turn_green_with_the_right_links(world, client_for):
    client = client_for(world.user("student"))
    assert "entry--red" in poll(client, world.examinee).content.decode()
    admit(world)
    html = poll(client, world.examinee).content.decode()
    assert "entry--green" in html and f"/en/exam/{world.examinee.pk}/draw/" in html
    assert html == template_fragment(world.examinee, "en")
    ticket_draw(examinee=Examinee.objects.get(pk=world.examinee.pk), position=1, actor=None)
    html = poll(client, world.examinee, "kk").content.decode()
    assert f"/kk/exam/{world.examinee.pk}/ticket/" in html and "hx-get" not in html
    assert html == template_fragment(world.examinee, "kk")


def test_suspended_and_resumed_follow_on_the_next_poll(world, client_for):
    client = client_for(world.user("student"))
    admit(world)
    Examinee.objects.filter(pk=world.examinee.pk).update(status=S.SUSPENDED)
    html = poll(client, world.examinee).content.decode()
    assert "entry--red" in html and 'data-status="suspended"' in html and "hx-get" in html
    Examinee.objects.filter(pk=world.examinee.pk).update(status=S.ADMITTED)
    assert "entry--green" in poll(client, world.examinee).content.decode()


def test_the_fragment_is_in_the_students_language(world, client_for):
    client = client_for(world.user("student"))
    texts = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            expected = entry_state(world.examinee)["message"]
        html = poll(client, world.examinee, language).content.decode()
        assert expected in html.replace("&#x27;", "'")
        texts[language] = html
    assert len(set(texts.values())) == 3


def test_unchanged_state_is_304_and_a_change_is_a_new_etag(world, client_for):
    client = client_for(world.user("student"))
    first = poll(client, world.examinee)
    etag = first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    again = poll(client, world.examinee, **{"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    admit(world)
    changed = poll(client, world.examinee, **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "entry--green" in changed.content.decode()


def test_what_the_fast_path_cannot_vouch_for_goes_to_the_ordinary_view(world, client_for):
    # Signed out: the login page, as before.
    anonymous = client_for(None)
    response = poll(anonymous, world.examinee)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    anonymous.cookies["sessionid"] = "not-a-session"
    assert poll(anonymous, world.examinee).status_code == 302
    # Someone else's examinee: 404, and out-of-range ids too.
    client = client_for(world.user("student"))
    assert poll(client, world.other_examinee).status_code == 404
    assert client.get("/en/exam/99999999999999999999/entry/").status_code == 404
    # A staff member's session on a student's entry: 404.
    assert poll(client_for(world.user("secretary")), world.examinee).status_code == 404


def test_a_password_change_elsewhere_signs_the_poll_out(world, client_for):
    client = client_for(world.user("student"))
    assert poll(client, world.examinee).status_code == 200
    user = world.user("student")
    user.set_password("a-new-password-1")
    user.save()
    response = poll(client, world.examinee)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_expired_or_deactivated_session_is_not_answered(world, client_for):
    client = client_for(world.user("student"))
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    cache.clear()  # an expired session has left the cache too (cached_db: same expiry)
    assert poll(client, world.examinee).status_code == 302
    client = client_for(world.user("student"))
    user = world.user("student")
    user.is_active = False
    user.save()
    assert poll(client, world.examinee).status_code == 302


# --- in front of Django's handler (wsgi.py) ------------------------------------------------


def wsgi_get(app, path, cookie="", **headers):
    """One GET through a WSGI application, as gunicorn calls it."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    } | {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, response_headers

    body = b"".join(app(environ, start_response))
    return int(started["status"].split()[0]), dict(started["headers"]), body


class Django:
    """Stands for Django's handler behind the fast path: says whether it was asked."""

    def __init__(self):
        self.asked = []

    def __call__(self, environ, start_response):
        self.asked.append(environ["PATH_INFO"])
        start_response("418 Asked Django", [])
        return [b""]


def cookie_of(client) -> str:
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.mark.parametrize("secure", [False, True])
def test_in_front_of_django_the_poll_is_what_the_chain_answers(world, client_for, settings, secure):
    # The same status, headers and bytes as through Django's middleware chain, for a waiting,
    # an admitted and a drawn student, 200 and 304, in every language, over HTTP and HTTPS
    # behind the proxy (HSTS only on HTTPS), so the fast path can never drop a security header.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    client = client_for(world.user("student"))
    app, django = EntryPollApp(Django()), None
    proto = {"X-Forwarded-Proto": "https" if secure else "http"}
    for step in ("waiting", "admitted", "drawn"):
        if step == "admitted":
            admit(world)
        if step == "drawn":
            ticket_draw(examinee=Examinee.objects.get(pk=world.examinee.pk), position=1, actor=None)
        for language in ("kk", "ru", "en"):
            path = f"/{language}/exam/{world.examinee.pk}/entry/"
            django = client.get(path, headers=proto)
            status, headers, body = wsgi_get(app, path, cookie_of(client), **proto)
            assert (status, body) == (django.status_code, django.content)
            assert headers == dict(django.headers), step
            assert ("Strict-Transport-Security" in headers) is secure
            assert {"Content-Security-Policy", "Permissions-Policy", "X-Frame-Options"} <= set(
                headers
            )
            seen = {"If-None-Match": headers["ETag"]} | proto
            django = client.get(path, headers=seen)
            status, headers, body = wsgi_get(app, path, cookie_of(client), **seen)
            assert (status, body) == (django.status_code, django.content) == (304, b"")
            assert headers == dict(django.headers)
    assert app.application.asked == []


def test_in_front_of_django_what_it_cannot_vouch_for_goes_to_django(world, client_for, settings):
    student = client_for(world.user("student"))
    app = EntryPollApp(Django())
    path = f"/en/exam/{world.examinee.pk}/entry/"
    assert wsgi_get(app, path, cookie_of(student))[0] == 200
    asked = [
        wsgi_get(app, path)[0],  # no session
        wsgi_get(app, path, "sessionid=not-a-session")[0],
        wsgi_get(app, f"/en/exam/{world.other_examinee.pk}/entry/", cookie_of(student))[0],
        wsgi_get(app, path, cookie_of(client_for(world.user("secretary"))))[0],
        wsgi_get(app, path, cookie_of(student), Host="evil.example")[0],  # a host not allowed
        wsgi_get(app, f"/en/exam/{world.examinee.pk}/", cookie_of(student))[0],  # another page
    ]
    settings.SECURE_SSL_REDIRECT = True  # plain HTTP where HTTPS is required: Django redirects
    asked.append(wsgi_get(app, path, cookie_of(student))[0])
    assert asked == [418] * 7 and len(app.application.asked) == 7


def test_the_served_application_is_the_fast_path_in_front_of_django():
    from attestation import wsgi

    assert isinstance(wsgi.application, EntryPollApp)
    assert wsgi.application.application is wsgi.django_application


def test_a_rotated_secret_key_is_followed_and_its_fallback_honoured(world, client_for, settings):
    # What the fast path remembered of a session (its decoded data, its password check) was
    # vouched for under the old key: a new key without the old one as a fallback signs the
    # poll out, as Django's own check does; with the fallback it still answers.
    client = client_for(world.user("student"))
    assert poll(client, world.examinee).status_code == 200
    old = settings.SECRET_KEY
    settings.SECRET_KEY_FALLBACKS = [old]
    settings.SECRET_KEY = "a-rotated-key-" + "x" * 50
    assert poll(client, world.examinee).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    response = poll(client, world.examinee)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
