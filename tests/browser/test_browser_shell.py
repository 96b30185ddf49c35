"""The shell around every page, in a real browser: layout, labels, scripts under the CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIGNED_IN_PAGES = {
    "Today": "/",
    "an area": "/transitions/",
    "search": "/search/?q=someone-with-a-rather-long-name-that-must-wrap",
    "quick add": "/add/",
    "settings": "/accounts/settings/",
    "password change": "/accounts/password/",
}
SIGNED_OUT_PAGES = {
    "login": "/accounts/login/",
    "sign-up": "/accounts/signup/",
    "password reset": "/accounts/password/reset/",
}


def visit_everywhere(page, audit, pages: dict[str, str]) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, path in pages.items():
            page.goto(path)
            audit.check(f"{name} ({scheme}, {page.viewport_size['width']}px)")


@pytest.mark.parametrize("width", [360, 1280])
def test_signed_in_pages_fit_and_label_every_field(logged_in, audit, width):
    logged_in.set_viewport_size({"width": width, "height": 800})
    visit_everywhere(logged_in, audit, SIGNED_IN_PAGES)


@pytest.mark.parametrize("width", [360, 1280])
def test_signed_out_pages_fit_and_label_every_field(page, audit, width, transactional_db):
    page.set_viewport_size({"width": width, "height": 800})
    visit_everywhere(page, audit, SIGNED_OUT_PAGES)


def test_the_page_is_served_with_a_strict_content_security_policy(page, transactional_db):
    response = page.goto("/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_slash_focuses_the_search_box(logged_in):
    search = logged_in.get_by_label("Search people, organisations and conversations")
    expect(search).not_to_be_focused()
    logged_in.keyboard.press("/")
    expect(search).to_be_focused()
    # Once typing, "/" is a character like any other.
    logged_in.keyboard.type("a/b")
    expect(search).to_have_value("a/b")


def test_the_area_tabs_scroll_sideways_on_a_phone_without_widening_the_page(logged_in, audit):
    logged_in.set_viewport_size({"width": 360, "height": 800})
    logged_in.goto("/transitions/")
    tabs = logged_in.locator(".areas")
    assert tabs.evaluate("el => el.scrollWidth > el.clientWidth")
    # The current area, last in the row, has been scrolled into view.
    expect(logged_in.locator(".areas [aria-current=page]")).to_be_in_viewport()
    assert audit.overflow() <= 0


def test_the_account_menu_closes_with_escape(logged_in):
    menu = logged_in.locator("details.account-menu")
    logged_in.get_by_label("Account menu for Rowan Hale").click()
    expect(logged_in.get_by_role("link", name="Settings")).to_be_visible()
    logged_in.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(logged_in.get_by_label("Account menu for Rowan Hale")).to_be_focused()


def test_htmx_revokes_a_token_in_place_under_the_csp(logged_in, member, audit):
    from cairn.accounts.services import api_token_create

    api_token_create(user=member, name="laptop backup")
    logged_in.goto("/accounts/settings/")
    # A marker on the window survives only if no full page load happens.
    logged_in.evaluate("window.stillHere = true")
    logged_in.get_by_role("button", name=re.compile("Revoke laptop backup")).click()
    token_list = logged_in.locator("#token-list")
    expect(token_list).to_contain_text("No tokens yet.")
    expect(token_list.get_by_role("status")).to_contain_text("Token revoked")
    assert logged_in.evaluate("window.stillHere === true")
    audit.check("settings after revoking a token")
