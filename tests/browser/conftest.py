"""Playwright with Debian's Chromium (STACK.md: browsers cannot be downloaded here)."""

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
# README's pictures are refreshed with `UPDATE_SCREENSHOTS=1 make test`; otherwise they go to
# var/, so that a test run leaves the work tree clean.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else ROOT / "var" / "screenshots"
)
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` "
            "(apt-get install --no-install-recommends chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


def _wait_for_function(page, expression, *, arg=None, timeout=None, polling=None):
    """Playwright's `wait_for_function` compiles its predicate with eval inside the page, which
    our Content-Security-Policy forbids (no 'unsafe-eval'); `evaluate` runs over the DevTools
    protocol, outside the page's CSP. The same wait, polled from here."""
    deadline = time.monotonic() + (timeout if timeout is not None else 10_000) / 1000
    interval = polling / 1000 if isinstance(polling, int | float) else 0.1
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"wait_for_function timed out: {expression}")
        time.sleep(interval)


@pytest.fixture(autouse=True)
def _csp_safe_waits(monkeypatch):
    from playwright.sync_api import Page

    monkeypatch.setattr(Page, "wait_for_function", _wait_for_function)


@pytest.fixture
def new_page(browser, live_server):
    """`new_page(mobile=False)`: a fresh context (its own cookies); phone-sized on request.
    Every page fails the test on a Content-Security-Policy violation (Chromium reports them
    on the console): a blocked script would otherwise pass unnoticed until a user hits it."""
    contexts = []
    violations = []

    def watch(message):
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def make(mobile: bool = False, **kwargs):
        options = {"base_url": live_server.url, "locale": "kk-KZ", "timezone_id": "Asia/Almaty"}
        if mobile:
            options |= {
                "viewport": {"width": 390, "height": 844},
                "device_scale_factor": 2,
                "is_mobile": True,
                "has_touch": True,
            }
        else:
            options["viewport"] = {"width": 1280, "height": 860}
        context = browser.new_context(**(options | kwargs))
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", watch)
        return page

    yield make
    for context in contexts:
        context.close()
    assert violations == [], violations


def sign_in(page, username: str, password: str, language: str = "kk") -> None:
    page.goto(f"/{language}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot(page, name: str) -> None:
    """Saved for the README (docs/screenshots): the pages as a person sees them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
