"""Django's own strings in Kazakh: its kk catalogs are half empty, and our overrides
(locale_django/kk) must use Django's exact msgids (5.2 writes ’ and “ ”, not ' and ")."""

from pathlib import Path

import django
import pytest

from tests.po import catalog

DJANGO = Path(django.__file__).parent
# The welcome page of a new project and the debug pages are never shown to a user.
NEVER_SHOWN = {
    "The install worked successfully! Congratulations!",
    "Django Documentation",
    "Topics, references, &amp; how-to’s",
    "Tutorial: A Polling App",
    "Get started with Django",
    "Django Community",
    "Connect, get help, or contribute",
}
NEVER_SHOWN_START = ('View <a href="https://docs.djangoproject.com',)


def untranslated(path: str, *, skip_language_names: bool = False) -> list[str]:
    english = catalog(DJANGO / path / "en/LC_MESSAGES/django.po")
    kazakh = catalog(DJANGO / path / "kk/LC_MESSAGES/django.po")
    ours = catalog("locale_django/kk/LC_MESSAGES/django.po")
    keys = list(english)
    if skip_language_names:  # the names of 100 languages head the core catalog
        keys = keys[[k[1] for k in keys].index("Messages") :]
    return [
        key[1]
        for key in keys
        if key[1] not in NEVER_SHOWN
        and not key[1].startswith(NEVER_SHOWN_START)
        and not any(kazakh.get(key, [""]))
        and not any(ours.get(key, [""]))
    ]


@pytest.mark.parametrize("path", ["contrib/admin/locale", "contrib/auth/locale"])
def test_every_admin_and_auth_string_has_a_kazakh_translation(path):
    assert untranslated(path) == []


def test_every_form_and_validator_message_has_a_kazakh_translation():
    assert untranslated("conf/locale", skip_language_names=True) == []


@pytest.mark.django_db
def test_the_password_page_lists_the_rules_in_kazakh(world, client_for):
    html = client_for(world.user("student")).get("/kk/accounts/password/").content.decode()
    assert "құпиясөз" in html.lower()
    for english in ("Your password", "can’t", "too similar", "at least"):
        assert english not in html
