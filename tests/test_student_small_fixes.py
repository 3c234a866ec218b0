"""Small things a person noticed, each checked as a class: every demo account with a role is
on the sign-in page; no emoji in our pages (fonts without them draw a box); one name for the
time zone in every language."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from attestation.accounts.models import User
from attestation.commissions.models import Membership

ROOT = Path(__file__).resolve().parents[1]
# Pictographs (📷 📎 …): no glyph in DejaVu or Liberation; ✓ and → are there.
EMOJI = re.compile("[\U0001f000-\U0001faff]")


@pytest.mark.django_db
def test_every_demo_account_with_a_role_is_on_the_sign_in_page(client, settings):
    settings.DEBUG = True
    call_command("demo", students=3)
    html = client.get("/en/accounts/login/").content.decode()
    staff = set(Membership.objects.values_list("user__username", flat=True))
    staff |= set(User.objects.filter(is_registrar=True).values_list("username", flat=True))
    assert staff
    for username in sorted(staff):
        assert f"<code>{username}</code>" in html, username
    assert "<code>student01</code>" in html


def test_no_emoji_in_templates_scripts_or_styles():
    found = []
    static = ROOT / "attestation" / "static"
    paths = [*(ROOT / "attestation" / "templates").rglob("*.html"), *static.rglob("*.js")]
    paths += list(static.rglob("*.css"))
    for path in paths:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if EMOJI.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, found


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_one_name_for_the_time_zone(language):
    catalog = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    assert "Almaty" not in catalog and "Алматы" not in catalog
    assert "Astana time" in catalog


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_schedule_names_the_month_as_dates_do(world, client_for, language):
    from django.utils import formats, timezone, translation

    html = client_for(world.user("student")).get(f"/{language}/training/sac/").content.decode()
    with translation.override(language):
        month = formats.date_format(timezone.localtime(world.sitting.starts_at), "E")
    assert f'<span class="event__month">{month}</span>' in html
