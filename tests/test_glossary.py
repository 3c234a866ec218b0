"""The glossary (docs/glossary.md) is kept: wordings it bans stay out of the catalogs."""

import re

import pytest
from django.utils import translation

from tests.po import ROOT, catalog, project_catalog


def never_rows():
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    section = text.split("## Never", 1)[1]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] in {"kk", "ru"}:
            rows.append((cells[0], cells[1]))
    return rows


def test_the_glossary_lists_banned_wordings_for_both_languages():
    langs = {lang for lang, _ in never_rows()}
    assert langs == {"kk", "ru"} and len(never_rows()) >= 20


@pytest.mark.parametrize("lang,wording", never_rows())
def test_a_banned_wording_is_in_no_msgstr(lang, wording):
    catalogs = [project_catalog(lang)]
    if lang == "kk":  # Django's own strings, overridden in Kazakh, follow the same terms
        catalogs.append(catalog("locale_django/kk/LC_MESSAGES/django.po"))
    # A capitalised row («Вашу») is matched as written; the others in any case.
    project_only = {"нысан"}  # Django's admin says «нысан» for "object", which is right there
    hits = [
        (key[1], form)
        for index, entries in enumerate(catalogs)
        if not (index and wording in project_only)
        for key, forms in entries.items()
        for form in forms
        if (wording in form if wording[0].isupper() else wording in form.lower())
    ]
    assert hits == []


def test_the_final_grade_button_is_a_verb():
    with translation.override("kk"):
        assert translation.pgettext("final grade", "Change") == "Өзгерту"
    with translation.override("ru"):
        assert translation.pgettext("final grade", "Change") == "Изменить"
    template = (ROOT / "attestation/templates/grading/console.html").read_text(encoding="utf-8")
    assert '{% translate "Change" context "final grade" %}' in template


def test_russian_full_dates_take_no_preposition():
    ru = project_catalog("ru")
    assert ru[(None, "Results are announced at %(time)s: rejoin the conference to hear them.")] == [
        "Результаты будут объявлены %(time)s: снова подключитесь к конференции, чтобы их услышать."
    ]


def test_dates_use_the_genitive_month_name_not_the_capitalised_abbreviation():
    for path in (ROOT / "attestation" / "templates").rglob("*.html"):
        assert not re.search(r'date:"j M\b', path.read_text(encoding="utf-8")), path
