"""Dates and times as two text boxes (dd.mm.yyyy and a 24-hour hh:mm), never the browser's
locale-bound datetime-local / time inputs, and the strings of our form script in the page's
language."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.test_grading_world import admit, make_oral, second_member

pytestmark = pytest.mark.django_db

NATIVE = re.compile(r'type="(datetime-local|date|time|month|week)"')


@pytest.fixture
def oral(world):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    second_member(world)
    return world


def test_no_template_uses_a_locale_bound_date_or_time_input():
    from tests.po import ROOT

    for path in (ROOT / "attestation").rglob("*.*"):
        if path.suffix in {".html", ".py"} and "migrations" not in path.parts:
            assert not NATIVE.search(path.read_text(encoding="utf-8")), path


def test_the_announcement_time_is_two_text_boxes_and_they_are_read(oral, client_for):
    client = client_for(oral.user("chair"))
    html = client.get(f"/kk/grading/sittings/{oral.sitting.pk}/").content.decode()
    assert 'name="announce_at_date"' in html and 'name="announce_at_time"' in html
    assert 'placeholder="кк.аа.жжжж"' in html and 'placeholder="сс:мм"' in html
    when = timezone.localtime(oral.sitting.starts_at + timedelta(hours=3)).replace(
        second=0, microsecond=0
    )
    response = client.post(
        f"/kk/grading/sittings/{oral.sitting.pk}/announce-time/",
        {"announce_at_date": when.strftime("%d.%m.%Y"), "announce_at_time": when.strftime("%H:%M")},
    )
    assert response.status_code == 302
    oral.sitting.refresh_from_db()
    assert oral.sitting.announce_at == when


def test_a_time_written_wrong_is_refused_in_the_page_language(oral, client_for):
    client = client_for(oral.user("chair"))
    response = client.post(
        f"/kk/grading/sittings/{oral.sitting.pk}/announce-time/",
        {"announce_at_date": "25.11.2026", "announce_at_time": "2:30 PM"},
        follow=True,
    )
    assert response.status_code in (200, 400)
    oral.sitting.refresh_from_db()
    assert oral.sitting.announce_at is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Мән ең көбі %(max)s болуы керек."), ("ru", "Значение должно быть не больше %(max)s.")],
)
def test_the_form_script_gets_its_strings_in_the_page_language(
    world, client_for, language, expected
):
    html = client_for(world.user("chair")).get(f"/{language}/").content.decode()
    block = re.search(
        r'<script id="form-strings" type="application/json">(.*?)</script>', html, re.S
    )
    strings = json.loads(block.group(1))
    assert strings["max"] == expected
    assert "Choose" not in strings["chooseFile"]
