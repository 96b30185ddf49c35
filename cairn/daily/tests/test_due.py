"""The everything-due page: every candidate of the day with its reason, filters, pages, and
done, snooze, skip and less often on any of them, with htmx and as plain forms."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.daily import services
from cairn.daily.models import AgendaItem, Deferral
from cairn.daily.tests.people import due_people as people_due
from cairn.network import services as network
from cairn.network.models import Interaction, Person

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
DUE = "daily:due"


def due_people(owner, count):
    return people_due(owner, count, days_ago=35)


def rows(html):
    return re.findall(r'<li id="due-([\w-]+)" class="card agenda-item due-item state-(\w+)"', html)


def page(client, query="", **extra):
    response = client.get(reverse(DUE) + query, **extra)
    assert response.status_code == 200
    return response.content.decode()


def off_the_agenda(owner):
    _, found = services.due_for(user=owner, now=timezone.now())
    return next(row for row in found if row.item is None)


def test_everything_due_lists_more_than_todays_few_each_with_its_reason(owner_client, owner):
    due_people(owner, 6)
    html = page(owner_client)
    assert len(rows(html)) == 6
    assert html.count('<p class="why">') == 6
    assert "Last talked" in html and "you planned every 30" in html
    assert html.count("On today’s list") == 3
    assert html.count("In today’s extras") == 3
    assert '<span class="kind-tag">Keep in touch</span>' in html


def test_a_long_list_comes_a_page_at_a_time(owner_client, owner):
    due_people(owner, 30)
    first = page(owner_client)
    assert len(rows(first)) == services_per_page() and "page 1 of 2" in first
    second = page(owner_client, "?page=2")
    assert len(rows(second)) == 30 - services_per_page()
    assert set(rows(first)).isdisjoint(rows(second))
    assert 'rel="prev"' in second


def services_per_page():
    from cairn.daily.views import DUE_PER_PAGE

    return DUE_PER_PAGE


def test_filters_by_kind_words_and_gives(owner_client, owner):
    ana, bo = due_people(owner, 2)
    today = timezone.localdate(timezone=owner.zone)
    network.life_event_add(
        user=owner, person=bo, kind="promotion", occurred_on=today - timedelta(days=2)
    )
    assert len(rows(page(owner_client))) == 3
    congratulate = page(owner_client, "?kind=congratulate")
    assert len(rows(congratulate)) == 1 and "Congratulate Person 001" in congratulate
    assert "of 3 due" in congratulate and "clear filters" in congratulate
    assert len(rows(page(owner_client, "?give=1"))) == 1
    named = page(owner_client, "?q=person+000")
    assert len(rows(named)) == 1 and "Get in touch with Person 000" in named
    assert rows(page(owner_client, "?q=nobody")) == []
    assert "Nothing due matches these filters." in page(owner_client, "?q=nobody")
    assert ana.pk


def test_done_and_put_off_ones_are_shown_only_when_asked_for(owner_client, owner):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    services.due_skip(user=owner, key=row.key)
    assert row.slug not in dict(rows(page(owner_client)))
    shown = dict(rows(page(owner_client, "?closed=1")))
    assert shown[row.slug] == "skipped"


def test_sorting_by_kind_groups_the_kinds(owner_client, owner):
    _, bo = due_people(owner, 2)
    today = timezone.localdate(timezone=owner.zone)
    network.life_event_add(
        user=owner, person=bo, kind="promotion", occurred_on=today - timedelta(days=2)
    )
    slugs = [slug for slug, _ in rows(page(owner_client, "?sort=kind"))]
    assert slugs[0].startswith("congratulate-")
    assert 'value="kind" selected' in page(owner_client, "?sort=kind")


def test_htmx_gets_only_the_results(owner_client, owner):
    due_people(owner, 2)
    html = page(owner_client, "?kind=keep_in_touch", **HTMX)
    assert html.lstrip().startswith('<div id="due-results">') and "<html" not in html
    assert len(rows(html)) == 2


def test_nothing_due_says_so(owner_client):
    html = page(owner_client)
    assert "Nothing else is due" in html and rows(html) == []


def test_done_with_htmx_adds_it_to_today_and_returns_the_row(owner_client, owner):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    response = owner_client.post(
        reverse("daily:due-done"), {"key": row.key, "note": "Wrote to her"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert rows(html) == [(row.slug, "done")] and "Done — Wrote to her." in html
    assert "<html" not in html
    item = AgendaItem.objects.get(owner=owner, key=row.key)
    assert item.is_extra and item.state == "done"
    assert Interaction.objects.for_user(owner).filter(summary="Wrote to her").exists()
    today = owner_client.get(reverse("daily:today")).content.decode()
    # The day's few are still to do; what was done besides counts too.
    assert "3 small things for today" in today and "1 done so far" in today
    assert 'Everything due <span class="muted">(15)</span>' in today


def test_done_with_a_plain_post_goes_back_to_the_same_list(owner_client, owner):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    response = owner_client.post(
        reverse("daily:due-done"), {"key": row.key, "query": "kind=keep_in_touch&q=person"}
    )
    assert response.status_code == 303
    assert response["Location"] == reverse(DUE) + "?kind=keep_in_touch&q=person"
    assert AgendaItem.objects.get(owner=owner, key=row.key).state == "done"


def test_snooze_until_tomorrow_with_htmx_and_skip_with_a_plain_post(owner_client, owner):
    due_people(owner, 16)
    _, found = services.due_for(user=owner, now=timezone.now())
    first, second = [row for row in found if row.item is None][:2]
    response = owner_client.post(
        reverse("daily:due-snooze"), {"key": first.key, "when": "tomorrow"}, **HTMX
    )
    assert "Snoozed until" in response.content.decode()
    tomorrow = timezone.localdate(timezone=owner.zone) + timedelta(days=1)
    assert Deferral.objects.get(owner=owner, key=first.key).until == tomorrow
    response = owner_client.post(reverse("daily:due-skip"), {"key": second.key})
    assert response.status_code == 303 and response["Location"] == reverse(DUE)
    assert Deferral.objects.get(owner=owner, key=second.key).reason == "skipped"


def test_less_often_on_a_row(owner_client, owner):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    owner_client.post(reverse("daily:due-less-often"), {"key": row.key}, **HTMX)
    assert Person.objects.get(pk=row.candidate.person_id).cadence_days == 60


def test_a_bad_snooze_date_is_explained_on_the_row(owner_client, owner):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    data = {"key": row.key, "when": "date", "until": "soon"}
    html = owner_client.post(reverse("daily:due-snooze"), data, **HTMX).content.decode()
    assert rows(html) == [(row.slug, "open")]
    assert 'class="message error"' in html and "&#x27;soon&#x27; is not a date" in html
    response = owner_client.post(reverse("daily:due-snooze"), data, follow=True)
    assert "is not a date" in response.content.decode()
    assert not AgendaItem.objects.filter(owner=owner, key=row.key).exists()


def test_a_key_no_longer_due_is_explained(owner_client, owner):
    due_people(owner, 1)
    data = {"key": "keep_in_touch:person:999999"}
    html = owner_client.post(reverse("daily:due-done"), data, **HTMX).content.decode()
    assert 'id="due-keep_in_touch-person-999999"' in html and "no longer due" in html
    response = owner_client.post(reverse("daily:due-done"), data, follow=True)
    assert "no longer due" in response.content.decode()


def test_a_stranger_cannot_act_on_the_owners_candidates(owner, stranger_client):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    for name in ("daily:due-done", "daily:due-snooze", "daily:due-skip", "daily:due-less-often"):
        data = {"key": row.key, "when": "tomorrow"}
        html = stranger_client.post(reverse(name), data, **HTMX).content.decode()
        assert "no longer due" in html and "Person" not in html
    assert not AgendaItem.objects.filter(key=row.key).exists()
    assert not Deferral.objects.filter(key=row.key).exists()
    assert Person.objects.get(pk=row.candidate.person_id).cadence_days == 30
    assert rows(page(stranger_client)) == []


def test_changes_are_post_only(owner_client, owner):
    due_people(owner, 1)
    for name in ("daily:due-done", "daily:due-snooze", "daily:due-skip", "daily:due-less-often"):
        assert owner_client.get(reverse(name)).status_code == 405


@pytest.mark.parametrize("size", [3, 40])
def test_the_page_takes_a_constant_number_of_queries(owner_client, owner, size):
    due_people(owner, size)
    owner_client.get(reverse("daily:today"))
    with CaptureQueriesContext(connection) as captured:
        page(owner_client)
    assert len(captured) <= 20


def test_the_way_back_keeps_the_filters_and_nothing_else(owner_client, owner):
    due_people(owner, 16)
    row = off_the_agenda(owner)
    data = {"key": row.key, "query": "kind=keep_in_touch&evil=1\r\nX-Injected: yes&page=2"}
    response = owner_client.post(reverse("daily:due-skip"), data)
    assert response.status_code == 303
    assert response["Location"] == reverse(DUE) + "?kind=keep_in_touch"


def test_the_filters_stay_out_of_the_search_box(owner_client, owner):
    due_people(owner, 2)
    html = page(owner_client, "?kind=keep_in_touch&closed=1")
    assert 'id="global-search" type="search" name="q" placeholder="Search" value=""' in html
    assert 'value="kind=keep_in_touch&amp;closed=1"' in html
