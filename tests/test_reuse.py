"""Parts of pages rendered once and reused (core/templatetags/reuse.py), `{% url %}` and
`{% static %}` answers remembered: every student page is the same as rendered in full, in
kk, ru and en, for each person, and the queries a page makes are counted."""

import re

import pytest
from django.template import Context, Engine, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from attestation.core import reverse as reverse_cache
from attestation.core.templatetags import reuse
from attestation.notices.services import notice_create
from attestation.tickets.services import ticket_draw
from tests.personas import admit

pytestmark = pytest.mark.django_db
LANGUAGES = ("kk", "ru", "en")


def normal(html: str) -> str:
    """The page without what differs from one request to the next anyway: the CSRF token
    (masked anew each time) and the server's clock."""
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "TOKEN", html)
    html = re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:?\d\d", "ISO", html)
    return re.sub(r"\d\d:\d\d(:\d\d)?", "HM", html)  # the footer's clock may pass a minute


def student_pages(world) -> list[str]:
    pk = world.examinee.pk
    return [
        "/",
        "/training/sac/",
        f"/exam/{pk}/",
        f"/exam/{pk}/ticket/",
        f"/answers/{pk}/",
        f"/exam/{pk}/state/",
        "/notices/",
    ]


@pytest.fixture
def drawn(world):
    admit(world)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    return world


@pytest.fixture
def fresh_caches():
    reuse.clear()
    reverse_cache._cache.clear()
    yield
    reuse.ENABLED = True


def page(client, url: str, enabled: bool) -> str:
    reuse.ENABLED = enabled
    response = client.get(url)
    assert response.status_code == 200, url
    return normal(response.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_student_page_is_as_rendered_in_full(drawn, client_for, fresh_caches, language):
    client = client_for(drawn.user("student"))
    for path in student_pages(drawn):
        url = f"/{language}{path}"
        full = page(client, url, enabled=False)
        assert page(client, url, enabled=True) == full, url  # rendered and kept
        assert page(client, url, enabled=True) == full, url  # reused


def test_the_exam_room_before_the_rules_and_after_admission(world, client_for, fresh_caches):
    client = client_for(world.user("student"))
    url = f"/kk/exam/{world.examinee.pk}/"
    page(client, url, enabled=True)
    assert page(client, url, enabled=True) == page(client, url, enabled=False)
    admit(world)
    reused = page(client, url, enabled=True)
    assert reused == page(client, url, enabled=False)
    assert "entry--green" in reused
    cards = f"/kk/exam/{world.examinee.pk}/draw/"  # the face-down cards, before the draw
    page(client, cards, enabled=True)
    assert page(client, cards, enabled=True) == page(client, cards, enabled=False)


def test_each_person_sees_their_own_name_badge_and_menu(world, client_for, fresh_caches):
    client = client_for(world.user("student"))
    first = page(client, "/en/", enabled=True)
    assert "Абаев Әлихан" in first and 'class="badge badge--red"' not in first
    notice_create(user=world.user("other_student"), title="Room changed")
    other = page(client_for(world.user("other_student")), "/en/", enabled=True)
    assert "Үмбетова Ұлжан" in other and "Абаев Әлихан" not in other
    assert '<span aria-hidden="true">1</span>' in other  # the unread badge: this person's
    # A secretary on the same page in the same language: the staff menu, not the student's.
    staff = page(client_for(world.user("secretary")), "/en/", enabled=True)
    assert "Тұрсынова Әйгерім" in staff
    assert "/en/staff/" in staff and "/en/training/sac/" not in staff
    assert staff == page(client_for(world.user("secretary")), "/en/", enabled=False)


def test_the_language_switcher_returns_to_the_page_it_is_on(drawn, client_for, fresh_caches):
    client = client_for(drawn.user("student"))
    for path in student_pages(drawn)[:5]:
        html = page(client, f"/ru{path}", enabled=True)
        assert f'name="next" value="/ru{path}"' in html


def test_the_badge_follows_notices_read_and_new(world, client_for, fresh_caches):
    client = client_for(world.user("student"))
    notice_create(user=world.user("student"), title="One")
    notice_create(user=world.user("student"), title="Two")
    assert '<span aria-hidden="true">2</span>' in page(client, "/kk/", enabled=True)
    client.post("/kk/notices/read/")
    assert 'class="badge badge--red"' not in page(client, "/kk/", enabled=True)


def test_a_changed_setting_empties_the_reused_parts(world, client_for, fresh_caches):
    client = client_for(world.user("student"))
    with override_settings(SUPPORT_EMAIL="help@university.kz"):
        assert "help@university.kz" in page(client, "/en/", enabled=True)
    with override_settings(SUPPORT_EMAIL="desk@university.kz"):
        html = page(client, "/en/", enabled=True)
    assert "desk@university.kz" in html and "help@university.kz" not in html


def test_a_reused_part_keeps_its_text_and_refreshes_its_holes(fresh_caches):
    engine = Engine(libraries={"reuse": "attestation.core.templatetags.reuse"})
    template = engine.from_string(
        "{% load reuse %}{% reuse kind %}[{{ label }}|{% fresh %}{{ name }}{% endfresh %}]"
        "{% endreuse %}"
    )
    assert template.render(Context({"kind": 1, "label": "a", "name": "x"})) == "[a|x]"
    # Same key: the text outside the hole is the one kept (it must depend on the key only).
    assert template.render(Context({"kind": 1, "label": "b", "name": "y"})) == "[a|y]"
    assert template.render(Context({"kind": 2, "label": "b", "name": "z"})) == "[b|z]"
    with translation.override("ru"):  # the language is always part of the key
        assert template.render(Context({"kind": 1, "label": "c", "name": "w"})) == "[c|w]"


def test_a_hole_in_a_loop_is_refused(fresh_caches):
    engine = Engine(libraries={"reuse": "attestation.core.templatetags.reuse"})
    template = engine.from_string(
        "{% load reuse %}{% reuse %}{% for i in items %}{% fresh %}{{ i }}{% endfresh %}"
        "{% endfor %}{% endreuse %}"
    )
    with pytest.raises(TemplateSyntaxError):
        template.render(Context({"items": [1, 2]}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_remembered_links_are_those_reverse_gives(world, fresh_caches, language):
    with translation.override(language):
        for name, args in [
            ("cabinet:exam_room", [world.examinee.pk]),
            ("cabinet:exam_room", [world.other_examinee.pk]),
            ("cabinet:sac", []),
            ("notices:list", []),
        ]:
            expected = reverse(name, args=args)
            assert reverse_cache.cached_reverse(name, args) == expected
            assert reverse_cache.cached_reverse(name, args) == expected
            assert expected.startswith(f"/{language}/")


def test_student_pages_query_counts(drawn, client_for, django_assert_max_num_queries):
    """What each page reads, locked: session, person (with the student row, roles and the
    notices badge in one statement) and the page's own rows."""
    client = client_for(drawn.user("student"))
    pk = drawn.examinee.pk
    limits = {
        "/kk/": 4,
        "/kk/training/sac/": 4,
        f"/kk/exam/{pk}/ticket/": 6,
        f"/kk/answers/{pk}/": 4,
        f"/kk/exam/{pk}/state/": 3,
    }
    for url in limits:
        client.get(url)  # the session's first read and the catalogs are not what is counted
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_static_urls_are_the_manifests_and_a_missing_file_still_fails(tmp_path):
    from attestation.core.static_storage import StaticStorage

    (tmp_path / "staticfiles.json").write_text(
        '{"version": "1.1", "hash": "x", "paths": {"css/app.css": "css/app.0123abcd.css"}}'
    )
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"  # remembered
    with pytest.raises(ValueError):
        storage.url("css/missing.css")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_server_time_tag_writes_what_now_wrote(language):
    """The footer's server time, formatted once a minute: what `{% now %}` gave, to the second
    in the attribute, and the next minute's text a minute later."""
    import time_machine
    from django.template import Context, Template

    before = Template(
        '<time data-server-time datetime="{% now "Y-m-d\\TH:i:sO" %}">'
        '{% now "DATETIME_FORMAT" %}</time>'
    )
    after = Template("{% load fast_dates %}{% server_time %}")
    with translation.override(language):
        for moment in ("2026-06-10 09:59:58", "2026-06-10 09:59:59", "2026-06-10 10:00:01"):
            with time_machine.travel(f"{moment}+00:00", tick=False):
                assert after.render(Context()) == before.render(Context()), moment


@pytest.mark.parametrize("zone", ["Asia/Almaty", "UTC"])
def test_iso_is_what_date_c_gives(zone):
    from datetime import datetime as dt
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import timezone

    moment = dt(2026, 6, 10, 4, 5, 6, 789, tzinfo=ZoneInfo("UTC"))
    with timezone.override(zone):
        for value in (moment, moment.replace(microsecond=0), None, ""):
            context = Context({"t": value})
            assert Template("{% load fast_dates %}{{ t|iso }}").render(context) == Template(
                "{{ t|date:'c' }}"
            ).render(context)
