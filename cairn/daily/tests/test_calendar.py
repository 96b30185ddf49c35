"""The calendar: valid iCalendar, only its owner's events, and a secret URL that can die."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cairn.daily import calendar, services
from cairn.network import services as network
from cairn.network.models import Interaction
from cairn.testing import client_for

pytestmark = pytest.mark.django_db

# The feed is made at the real "now", so the data is laid out around today (the owner is in
# Paris); functions that take the time are given the same instant.
NOW = timezone.now().replace(microsecond=0)
TODAY = NOW.astimezone(ZoneInfo("Europe/Paris")).date()
SITE = "https://cairn.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def person(user, name: str, **fields):
    return network.person_create(
        user=user, full_name=name, today=TODAY - timedelta(days=400), **fields
    )


def log(user, who, summary: str, on: date, **fields):
    return network.interaction_log(
        user=user, people=[who], summary=summary, occurred_on=on, today=TODAY, **fields
    )


@pytest.fixture
def owners_calendar(owner):
    """A follow-up due in a week, an interview tomorrow, and a keep-in-touch for today."""
    ana = person(owner, "Ana Ruiz", cadence_days=30)
    bea = person(owner, "Bea Kim")
    log(owner, ana, "Lunch", TODAY - timedelta(days=60))
    follow = log(owner, bea, "Coffee at the fair", TODAY - timedelta(days=3),
                 follow_up_on=TODAY + timedelta(days=7))  # fmt: skip
    interview = log(owner, bea, "Interview at Acme", TODAY + timedelta(days=1),
                    kind=Interaction.Kind.JOB_INTERVIEW, occurred_at=time(14, 30))  # fmt: skip
    services.agenda_for_today(user=owner, now=NOW)
    return {"ana": ana, "bea": bea, "follow": follow, "interview": interview}


def events(user, now=NOW):
    parsed = Calendar.from_ical(calendar.calendar_bytes(user, now=now))
    return parsed, {str(e["summary"]): e for e in parsed.walk("VEVENT")}


def test_the_calendar_is_valid_icalendar_with_every_required_property(owner, owners_calendar):
    parsed, found = events(owner)
    assert str(parsed["version"]) == "2.0"
    assert str(parsed["prodid"]).startswith("-//Cairn//Cairn ")
    assert found, "no events"
    uids = [str(event["uid"]) for event in found.values()]
    assert len(uids) == len(set(uids))
    for event in found.values():
        assert event["uid"] and event["dtstamp"] and event["dtstart"]
        assert str(event["uid"]).endswith("@cairn.example.org")
        start, end = event["dtstart"].dt, event["dtend"].dt
        if type(start) is date:  # all day, ending the next day
            assert end == start + timedelta(days=1)
        else:  # a timed event is pinned to an instant (UTC), never a floating local time
            assert start.tzinfo is not None and end > start


def test_it_holds_follow_ups_interviews_and_todays_actions(owner, owners_calendar):
    _, found = events(owner)
    bea = owners_calendar["bea"]
    follow = found["Follow up with Bea Kim"]
    assert follow["dtstart"].dt == TODAY + timedelta(days=7)
    assert str(follow["uid"]) == f"follow-up-{owners_calendar['follow'].pk}@cairn.example.org"
    assert str(follow["url"]) == f"{SITE}/network/people/{bea.pk}/"
    assert "Coffee at the fair" in str(follow["description"])
    interview = found["Job interview with Bea Kim"]
    starts = datetime.combine(TODAY + timedelta(days=1), time(14, 30), tzinfo=owner.zone)
    assert interview["dtstart"].dt == starts  # a timed event, at the user's own 14:30
    assert interview["dtend"].dt - interview["dtstart"].dt == timedelta(hours=1)
    assert str(interview["transp"]) == "OPAQUE" and str(follow["transp"]) == "TRANSPARENT"
    assert str(interview["description"]) == "Interview at Acme"
    today = found["Get in touch with Ana Ruiz"]
    assert today["dtstart"].dt == TODAY
    assert "last talked 60 days ago" in str(today["description"])


def test_the_same_data_gives_the_same_bytes(owner, owners_calendar):
    assert calendar.calendar_bytes(owner, now=NOW) == calendar.calendar_bytes(owner, now=NOW)


def test_a_snoozed_action_is_on_the_day_it_comes_back(owner, owners_calendar):
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    services.item_snooze(user=owner, item=item, until=TODAY + timedelta(days=3), now=NOW)
    _, found = events(owner)
    assert found[item.title]["dtstart"].dt == TODAY + timedelta(days=3)


def test_done_follow_ups_and_binned_people_are_left_out(owner, owners_calendar):
    follow = owners_calendar["follow"]
    follow.follow_up_done = True
    follow.save()
    network.person_delete(user=owner, person=owners_calendar["bea"])
    _, found = events(owner)
    assert not any("Bea Kim" in summary for summary in found)
    assert "Job interview" in found  # the interview stays, without the name


def test_the_window_is_the_last_month_and_the_next_three(owner):
    for days in (-31, -30, 90, 91):
        # Made directly: logging refuses a conversation more than a day ahead.
        Interaction.objects.create(
            owner=owner, summary=f"Interview {days}", occurred_on=TODAY + timedelta(days=days),
            kind=Interaction.Kind.INFORMATIONAL,
        )  # fmt: skip
    parsed, _ = events(owner)
    assert sorted(str(e["description"]) for e in parsed.walk("VEVENT")) == [
        "Interview -30",
        "Interview 90",
    ]


def test_only_the_owners_events_are_in_it(owner, stranger, owners_calendar):
    theirs = person(stranger, "Sam Secret", cadence_days=30)
    log(stranger, theirs, "Stranger's lunch", TODAY - timedelta(days=60),
        follow_up_on=TODAY + timedelta(days=2))  # fmt: skip
    services.agenda_for_today(user=stranger, now=NOW)
    assert b"Sam Secret" not in calendar.calendar_bytes(owner, now=NOW)
    assert b"Bea Kim" not in calendar.calendar_bytes(stranger, now=NOW)
    assert b"Sam Secret" in calendar.calendar_bytes(stranger, now=NOW)


# ---------------------------------------------------------------- the feed


def feed(token: str):
    return reverse("daily:calendar-feed", kwargs={"token": token})


def test_the_feed_serves_the_calendar_without_a_login(client, owner, owners_calendar):
    token = calendar.calendar_token_create(user=owner)
    response = client.get(feed(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["ETag"]
    assert b"Follow up with Bea Kim" in response.content
    Calendar.from_ical(response.content)

    again = client.get(feed(token), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_only_a_digest_of_the_secret_is_kept(owner):
    token = calendar.calendar_token_create(user=owner)
    owner.refresh_from_db()
    assert token not in owner.calendar_token_digest
    assert len(owner.calendar_token_digest) == 64


def test_an_unknown_token_is_a_404(client, owner):
    calendar.calendar_token_create(user=owner)
    assert client.get(feed("x" * 43)).status_code == 404
    assert client.get("/calendar/short.ics").status_code == 404


def test_a_new_address_kills_the_old_one(client, owner):
    old = calendar.calendar_token_create(user=owner)
    new = calendar.calendar_token_create(user=owner)
    assert client.get(feed(old)).status_code == 404
    assert client.get(feed(new)).status_code == 200


def test_a_revoked_feed_is_a_404(client, owner):
    token = calendar.calendar_token_create(user=owner)
    calendar.calendar_token_revoke(user=owner)
    assert client.get(feed(token)).status_code == 404


def test_a_deactivated_account_has_no_feed(client, owner):
    token = calendar.calendar_token_create(user=owner)
    owner.is_active = False
    owner.save()
    assert client.get(feed(token)).status_code == 404


def test_each_feed_shows_only_its_owners_events(client, owner, stranger, owners_calendar):
    person(stranger, "Sam Secret")
    mine = calendar.calendar_token_create(user=owner)
    theirs = calendar.calendar_token_create(user=stranger)
    assert b"Bea Kim" in client.get(feed(mine)).content
    assert b"Bea Kim" not in client.get(feed(theirs)).content


def test_the_feed_answers_get_and_head_only(client, owner):
    token = calendar.calendar_token_create(user=owner)
    assert client.head(feed(token)).status_code == 200
    assert client.post(feed(token)).status_code == 405


# ---------------------------------------------------------------- the card's buttons


def test_making_an_address_shows_it_once(owner, owner_client):
    response = owner_client.post(reverse("daily:calendar-create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{SITE}/calendar/" in html and 'data-copy="feed-url"' in html
    start = html.index(f"{SITE}/calendar/") + len(f"{SITE}/calendar/")
    token = html[start : html.index(".ics", start)]
    assert client_for(owner).get(feed(token)).status_code == 200
    settings_page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert token not in settings_page
    assert "Your calendar feed is on." in settings_page


def test_remaking_the_address_says_the_old_one_is_dead(owner, owner_client):
    old = calendar.calendar_token_create(user=owner)
    html = owner_client.post(reverse("daily:calendar-create")).content.decode()
    assert "The previous address no longer works." in html
    assert owner_client.get(feed(old)).status_code == 404


def test_turning_the_feed_off(owner, owner_client):
    token = calendar.calendar_token_create(user=owner)
    response = owner_client.post(reverse("daily:calendar-revoke"))
    assert response.status_code == 303
    assert owner_client.get(feed(token)).status_code == 404
    htmx = owner_client.post(reverse("daily:calendar-revoke"), HTTP_HX_REQUEST="true")
    assert "Make a feed address" in htmx.content.decode()
