"""A new user's first visit, in a real browser: sign up, log out, log back in, see Today."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMAIL = "ana.ruiz@example.com"
PASSWORD = "quiet stones every morning"
WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")


def test_a_new_user_signs_up_logs_out_logs_in_and_sees_today(
    page, live_server, audit, log_in, screenshot_dir
):
    page.goto("/accounts/signup/")
    audit.check("sign-up")
    # cairn.js ran despite the strict CSP: it put the browser's own time zone in the form.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Your name").fill("Ana Ruiz")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("status")).to_have_text("Welcome to Cairn, Ana Ruiz.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana Ruiz")
    audit.check("Today after sign-up")

    page.get_by_label("Account menu for Ana Ruiz").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    audit.check("login")

    log_in(EMAIL, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Good (morning|afternoon|evening), Ana Ruiz\.")
    )
    expect(page.locator(".areas [aria-current=page]")).to_have_text("Today")

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.reload()
            where = f"Today at {width}px, {scheme}"
            audit.check(where)
            if width == 360:
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, where
            page.screenshot(path=screenshot_dir / f"today-{width}-{scheme}.png", full_page=True)

    assert not audit.console.errors
