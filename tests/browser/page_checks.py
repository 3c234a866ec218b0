"""Checks that every page of every role must pass, whatever the page is ("catch the class, not
the case"). Use them in any browser test:

    from tests.browser.page_checks import assert_page_sound, watch

    page = new_page(mobile=True)
    watch(page)                      # before the first goto: console and page errors are kept
    page.goto("/kk/...")
    assert_page_sound(page, lang="kk")

`watch(page)` starts recording the page's console errors and uncaught exceptions.
`assert_page_sound(page, *, lang, allow=(), axe=True, name=None)` fails (one AssertionError
listing every problem, prefixed with `name` or the URL) on:

- a console error or a page error since the previous check (the record is then cleared);
- horizontal overflow: `document.documentElement.scrollWidth > innerWidth` (a 390 px phone
  must never scroll sideways);
- a fixed or sticky element (camera box, header, countdown) covering an interactive element
  (link, button, form field, summary), question text (`.questions li`) or a live status
  (`[role=status]`, `[role=alert]`, `.alert`, `.entry-box`, `.offline-note`) at every scroll
  position that can bring it into view (top, centre, bottom of the screen);
- English words on a `kk` or `ru` page: visible text and aria-label/title/placeholder/alt,
  outside `<code>`, `[translate=no]` and elements whose `lang` is another language, minus
  e-mail addresses, URLs and `ALLOWED_LATIN` + `allow` (names, codes);
- markup axe-core lets pass: `<time>` without `datetime`, `<style>` in `<body>` (also inside
  `<noscript>`), `aria-label` on a `span`/`div` without a role;
- axe-core violations of impact "serious" or "critical" (axe-core from npm, installed by
  `make browser` into tests/browser/node_modules; injected with `page.add_script_tag`, so a
  context for a page with a strict Content-Security-Policy needs `bypass_csp=True`).

`page_problems(page, *, lang, allow=(), axe=True)` returns the same findings as a list of
strings, for a test that wants to look at them itself. The checks themselves run in the page:
tests/browser/page_checks.js.
"""

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHECKS = "(" + (HERE / "page_checks.js").read_text() + ")"

# Latin words that are right on a Kazakh or Russian page: formats, codes, product names, our
# language switcher. Kept short on purpose: a new entry needs a reason.
ALLOWED_LATIN = {
    "kk",
    "ru",
    "en",
    "pdf",
    "sha",
    "jpeg",
    "jpg",
    "png",
    "webp",
    "heic",
    "heif",
    "mb",
    "kb",
    "qr",
    "ics",
    "docx",
    "xlsx",
    "csv",
    "gpa",
    "zoom",
    "teams",
    "webex",
    "jitsi",
    "meet",
    "google",
    "microsoft",
    "wi",
    "fi",
    "ects",
    "chrome",
    "edge",
    "firefox",
    "safari",
}

_ERRORS = "_page_checks_errors"


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_STRIP = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:kz|org|com|ru|edu|net)\S*|\b\w*\d\w*\b")


def watch(page) -> list[str]:
    """Start recording console errors and page errors of `page` (idempotent)."""
    errors = getattr(page, _ERRORS, None)
    if errors is None:
        errors = []
        setattr(page, _ERRORS, errors)
        page.on(
            "console",
            lambda message: (
                errors.append(f"console {message.type}: {message.text} ({message.location})")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


def english_words(text: str, *, allow=()) -> list[str]:
    """The Latin-script words of `text` that are not allowed (lower-cased, unique, in order)."""
    allowed = ALLOWED_LATIN | {word.lower() for word in allow}
    found = []
    for word in _LATIN_WORD.findall(_STRIP.sub(" ", text)):
        lower = word.lower()
        if lower not in allowed and lower not in found and len(lower) > 1:
            found.append(lower)
    return found


def page_problems(page, *, lang: str, allow=(), axe: bool = True) -> list[str]:
    problems = []
    errors = watch(page)
    problems += errors
    errors.clear()
    problems += page.evaluate(f"{CHECKS}.overflow()")
    problems += page.evaluate(f"{CHECKS}.covered()")
    problems += page.evaluate(f"{CHECKS}.markup()")
    if lang in ("kk", "ru"):
        words = english_words(page.evaluate(f"(lang) => {CHECKS}.text(lang)", lang), allow=allow)
        if words:
            problems.append(f"English on a {lang} page: {', '.join(words[:20])}")
    if axe:
        if not AXE.exists():
            raise AssertionError(
                f"{AXE} is missing: run `make browser` (npm ci --prefix tests/browser)"
            )
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        problems += page.evaluate(f"{CHECKS}.axe()")
    return problems


def assert_page_sound(page, *, lang: str, allow=(), axe: bool = True, name: str | None = None):
    """Fail with every problem `page_problems` finds on the page as it is now."""
    problems = page_problems(page, lang=lang, allow=allow, axe=axe)
    if problems:
        where = name or page.url
        raise AssertionError(f"{where}:\n  " + "\n  ".join(problems))
