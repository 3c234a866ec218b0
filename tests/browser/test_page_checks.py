"""The page checks catch each class of problem they promise to, and pass a sound page."""

import pytest

from tests.browser.page_checks import assert_page_sound, english_words, page_problems, watch

pytestmark = pytest.mark.browser

SOUND = """<!doctype html><html lang="kk"><head><meta charset="utf-8"><title>Емтихан</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Билет № 3</h1><ol class="questions"><li>Деректер қоры</li></ol>
<p>PDF, SHA-256: <code>6de8deba59</code> · registrar@university.example</p>
<button type="button">Жүктеу</button></main></body></html>"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    watch(page)
    yield page
    context.close()


def test_a_sound_page_passes(phone):
    phone.set_content(SOUND)
    assert_page_sound(phone, lang="kk")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('<div style="width:600px">кең</div>', "horizontal overflow"),
        (
            '<aside style="position:fixed;inset:0;background:#fff">Камера</aside>',
            "covered by aside",
        ),
        ("<p>Upload the photos</p>", "English on a kk page: upload, the, photos"),
        (
            '<details><summary style="width:2rem"><span aria-hidden="true">A</span></summary>'
            "<p>Мәзір</p></details>",
            "axe serious summary-name",
        ),
        ("<time>12:00</time>", "<time> without datetime"),
        ("<noscript><style>p{}</style></noscript>", "<style> inside <body>"),
        ('<span aria-label="Бөлім">1</span>', "aria-label on a span without a role"),
        ("<script>nothing.here()</script>", "page error"),
        ("<script>console.error('сынақ')</script>", "console error: сынақ"),
    ],
)
def test_each_class_of_problem_is_caught(phone, extra, expected):
    phone.set_content(SOUND.replace("</main>", extra + "</main>"))
    problems = page_problems(phone, lang="kk")
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(AssertionError, match="about:blank"):
        phone.set_content(SOUND.replace("</main>", extra + "</main>"))
        assert_page_sound(phone, lang="kk")


def test_english_words_ignores_codes_addresses_and_the_allow_list():
    text = "Файл PDF, 20 MB, SHA-256 a91d18, https://meet.example.org/room, Жанна Smith"
    assert english_words(text) == ["smith"]
    assert english_words(text, allow=["Smith"]) == []
