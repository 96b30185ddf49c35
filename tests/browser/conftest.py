"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Without a Chromium these tests skip, unless CAIRN_REQUIRE_BROWSER=1 (as in CI), where a
missing browser is a failure. Screenshots go to CAIRN_SCREENSHOT_DIR, or a temporary
directory, never into the repository.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DEBIAN_CHROMIUM = "/usr/bin/chromium"
MISSING = "Chromium not found: install Debian's chromium to run the browser tests"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_executable() -> str | None:
    if os.path.exists(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    return shutil.which("chromium")


def _unavailable(reason: str) -> None:
    if os.environ.get("CAIRN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CAIRN_REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    executable = chromium_executable()
    if executable is None:
        _unavailable(MISSING)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse
    # the test's own database calls (fixtures, flush) while it runs. Allowed only while the
    # loop runs: module scope, so the rest of the suite (and its subprocesses) runs without.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=executable, headless=True, args=LAUNCH_ARGS
            )
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def static_files_found() -> None:
    """Fail once, clearly, if the stylesheet and scripts cannot be served at all."""
    from django.contrib.staticfiles import finders

    missing = [
        path
        for path in ("cairn/cairn.css", "cairn/cairn.js", "cairn/vendor/htmx-2.0.11.min.js")
        if finders.find(path) is None
    ]
    if missing:
        pytest.fail(
            f"static files not found by Django's finders: {missing}; "
            "settings.STATICFILES_DIRS must include the cairn/static directory",
            pytrace=False,
        )


@dataclass
class Console:
    """Everything the page reported that a user would never want to see."""

    errors: list[str] = field(default_factory=list)

    def record_message(self, message) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.errors.append(f"{message.text} ({location})")

    def record_exception(self, error) -> None:
        self.errors.append(f"uncaught: {error}")

    def record_failed_response(self, response) -> None:
        # 4xx/5xx for a sub-resource (a stylesheet, script or icon) is a broken page.
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} for {response.url}")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser, live_server, static_files_found, console) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 800},
        timezone_id="Europe/Paris",
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    new_page = context.new_page()
    new_page.on("console", console.record_message)
    new_page.on("pageerror", console.record_exception)
    new_page.on("response", console.record_failed_response)
    yield new_page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    configured = os.environ.get("CAIRN_SCREENSHOT_DIR")
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def member(transactional_db):
    """An existing account (the sign-up journey makes its own)."""
    from cairn.testing import make_user

    return make_user("rowan@example.com", display_name="Rowan Hale", time_zone="Europe/Paris")


@pytest.fixture
def log_in(page, live_server):
    def log_in(email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{live_server.url}/")

    return log_in


@pytest.fixture
def logged_in(page, member, log_in):
    """A page where `member` has logged in through the form."""
    from cairn.testing import PASSWORD

    log_in(member.email, PASSWORD)
    return page


UNLABELLED_FIELDS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => el.type !== "hidden" && !el.hidden && el.checkVisibility())
  .filter((el) => !el.labels || el.labels.length === 0)
  .map((el) => el.outerHTML)
"""


@dataclass
class Audit:
    """What every page must satisfy, checked in the browser on the page as it is now."""

    page: object
    console: Console

    def overflow(self) -> int:
        """How many pixels the document is wider than the window (0 when it fits)."""
        return self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    def unlabelled_fields(self) -> list[str]:
        return self.page.evaluate(UNLABELLED_FIELDS)

    def htmx_loaded(self) -> bool:
        return self.page.evaluate("typeof window.htmx === 'object' && !!window.htmx.version")

    def check(self, where: str) -> None:
        assert self.overflow() <= 0, f"{where}: the page scrolls sideways"
        assert not self.unlabelled_fields(), f"{where}: fields without a label"
        assert self.htmx_loaded(), f"{where}: htmx did not load (blocked by the CSP?)"
        assert not self.console.errors, f"{where}: console errors"


@pytest.fixture
def audit(page, console) -> Audit:
    return Audit(page, console)
