"""Today with people due, in a real browser: done with a note and a snooze change the page
in place (htmx), and a reload shows the same; everything due is one click away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")
NAMES = ("Ana Ruiz", "Bo Chen", "Cy Diaz", "Di Eze", "Ed Fox", "Flo Gray")


@pytest.fixture
def with_people_due(member):
    """Six people overdue for a word, one with news to congratulate."""
    from django.utils import timezone

    from cairn.network import services as network

    today = timezone.localdate(timezone=member.zone)
    people = []
    for n, name in enumerate(NAMES):
        person = network.person_create(
            user=member, full_name=name, cadence_days=30, strength=5 - n % 5,
            today=today - timedelta(days=400),
        )  # fmt: skip
        network.interaction_log(
            user=member, people=[person], summary="Coffee",
            occurred_on=today - timedelta(days=40 + 9 * n), today=today,
        )  # fmt: skip
        people.append(person)
    network.life_event_add(
        user=member, person=people[3], kind="promotion", occurred_on=today - timedelta(days=2),
        note="Head of design at Acme",
    )  # fmt: skip
    return people


def items(page):
    return page.locator("ol.today-list > li.agenda-item")


def test_done_with_a_note_and_a_snooze_change_today_in_place_and_stay(
    logged_in, with_people_due, audit, screenshot_dir
):
    page = logged_in
    page.goto("/")  # logging in showed the day before anyone was due: an empty day is remade
    expect(items(page)).to_have_count(3)
    audit.check("Today with people due")
    first, second = items(page).nth(0), items(page).nth(1)
    first_id, second_id = first.get_attribute("id"), second.get_attribute("id")
    first_title = first.locator(".agenda-title").inner_text()
    # Any full page load from here on would lose this marker: htmx must change the page in place.
    page.evaluate("window.stillTheSamePage = true")

    first.get_by_placeholder("One-line note (optional)").fill("Rang about the new role")
    first.get_by_role("button", name="Done").click()
    done = page.locator(f"#{first_id}")
    expect(done).to_have_class("card agenda-item state-done")
    expect(done.get_by_role("status")).to_have_text("Done — Rang about the new role.")
    expect(page.locator("#today-progress")).to_contain_text("1 done so far")

    snoozed = page.locator(f"#{second_id}")
    snoozed.locator("summary").click()
    snoozed.get_by_role("button", name="Tomorrow").click()
    expect(snoozed.get_by_role("status")).to_contain_text("Snoozed until")
    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()
    assert page.evaluate("window.stillTheSamePage") is None
    expect(page.locator(f"#{first_id}").get_by_role("status")).to_have_text(
        "Done — Rang about the new role."
    )
    expect(page.locator(f"#{second_id}").get_by_role("status")).to_contain_text("Snoozed until")
    expect(page.locator("#today-progress")).to_contain_text("1 done so far")
    assert first_title in page.locator(f"#{first_id}").inner_text()
    audit.check("Today after done and snooze")

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.reload()
            where = f"Today at {width}px, {scheme}"
            audit.check(where)
            page.screenshot(path=screenshot_dir / f"today-due-{width}-{scheme}.png", full_page=True)


def test_everything_due_from_today_and_done_in_place(
    logged_in, with_people_due, audit, screenshot_dir
):
    page = logged_in
    page.goto("/")
    page.get_by_role("link", name="Everything due").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything due")
    rows = page.locator("li.due-item")
    expect(rows).to_have_count(len(NAMES) + 1)
    audit.check("Everything due")

    page.get_by_label("Kind").select_option("congratulate")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Congratulate Di Eze")
    assert "kind=congratulate" in page.url
    page.evaluate("window.stillTheSamePage = true")
    rows.first.get_by_role("button", name="Done").click()
    expect(rows.first.get_by_role("status")).to_contain_text("Done")
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_label("Kind").select_option("")
    page.get_by_label("Person or words").fill("flo")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Flo Gray")

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            page.goto("/today/due/")
            where = f"Everything due at {width}px, {scheme}"
            audit.check(where)
            page.screenshot(path=screenshot_dir / f"due-{width}-{scheme}.png", full_page=True)
