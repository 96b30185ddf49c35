"""The Today page and its item buttons, with htmx and as plain forms."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.daily.models import AgendaItem, Deferral
from cairn.daily.tests.people import due_people
from cairn.network import services as network
from cairn.network.models import Interaction, Person

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def open_items(client):
    client.get(reverse("daily:today"))
    return list(AgendaItem.objects.filter(is_extra=False).order_by("position"))


def test_today_greets_the_user_and_explains_the_empty_agenda(owner_client, owner):
    response = owner_client.get(reverse("daily:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert owner.display_name in html
    assert "Nothing is due yet" in html


def test_today_shows_at_most_n_items_each_with_its_why(owner_client, owner):
    due_people(owner, 6)
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert html.count('class="card agenda-item state-open"') == 3
    assert "Last talked" in html and "you planned every 30" in html
    assert "More if you have time" in html


def test_a_reload_shows_the_same_items(owner_client, owner):
    due_people(owner, 6)

    def shown():
        html = owner_client.get(reverse("daily:today") + "?more=1").content.decode()
        return re.findall(r'id="item-(\d+)".*?<p class="why">(.*?)</p>', html, re.S)

    first = shown()
    assert len(first) == 6
    assert shown() == first


def test_done_with_a_plain_post_redirects_and_logs_the_conversation(owner_client, owner):
    due_people(owner, 2)
    item = open_items(owner_client)[0]
    response = owner_client.post(
        reverse("daily:item-done", kwargs={"pk": item.pk}), {"note": "Called about the move"}
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("daily:today")
    item.refresh_from_db()
    assert item.state == "done" and item.note == "Called about the move"
    assert Interaction.objects.filter(summary="Called about the move").exists()
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert "Done — Called about the move." in html


def test_done_with_htmx_returns_the_item(owner_client, owner):
    [ana] = due_people(owner, 1)
    item = open_items(owner_client)[0]
    response = owner_client.post(reverse("daily:item-done", kwargs={"pk": item.pk}), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and "Done" in html
    assert "<html" not in html
    ana.refresh_from_db()
    assert ana.last_contact_on == timezone.localdate(timezone=owner.zone)


def test_done_with_htmx_also_updates_the_days_progress(owner_client, owner):
    due_people(owner, 2)
    first, second = open_items(owner_client)
    html = owner_client.post(reverse("daily:item-done", kwargs={"pk": first.pk}), **HTMX)
    assert 'id="today-progress"' in html.content.decode()
    assert 'hx-swap-oob="true"' in html.content.decode()
    assert "1 done so far" in html.content.decode()
    html = owner_client.post(reverse("daily:item-done", kwargs={"pk": second.pk}), **HTMX)
    assert "That is today’s practice done. See you tomorrow." in html.content.decode()
    page = owner_client.get(reverse("daily:today")).content.decode()
    assert "That is today’s practice done." in page and "hx-swap-oob" not in page


def test_done_twice_says_so(owner_client, owner):
    due_people(owner, 1)
    item = open_items(owner_client)[0]
    url = reverse("daily:item-done", kwargs={"pk": item.pk})
    owner_client.post(url, **HTMX)
    response = owner_client.post(url, **HTMX)
    assert "already done" in response.content.decode()


@pytest.mark.parametrize(("when", "days"), [("tomorrow", 1), ("next_week", 7)])
def test_snooze_for_a_day_or_a_week(owner_client, owner, when, days):
    due_people(owner, 1)
    item = open_items(owner_client)[0]
    response = owner_client.post(
        reverse("daily:item-snooze", kwargs={"pk": item.pk}), {"when": when}, **HTMX
    )
    assert response.status_code == 200
    item.refresh_from_db()
    today = timezone.localdate(timezone=owner.zone)
    assert item.state == "snoozed" and item.snoozed_until == today + timedelta(days=days)
    assert Deferral.objects.get(owner=owner, key=item.key).until == item.snoozed_until
    assert "Snoozed until" in response.content.decode()


def test_snooze_until_a_date_with_a_plain_post(owner_client, owner):
    due_people(owner, 1)
    item = open_items(owner_client)[0]
    until = timezone.localdate(timezone=owner.zone) + timedelta(days=20)
    response = owner_client.post(
        reverse("daily:item-snooze", kwargs={"pk": item.pk}),
        {"when": "date", "until": until.isoformat()},
    )
    assert response.status_code == 303
    item.refresh_from_db()
    assert item.snoozed_until == until


@pytest.mark.parametrize("until", ["", "soon", "2000-01-01"])
def test_a_bad_snooze_date_is_explained(owner_client, owner, until):
    due_people(owner, 1)
    item = open_items(owner_client)[0]
    url = reverse("daily:item-snooze", kwargs={"pk": item.pk})
    response = owner_client.post(url, {"when": "date", "until": until}, **HTMX)
    assert 'class="message error"' in response.content.decode()
    assert "until" in response.content.decode()
    response = owner_client.post(url, {"when": "date", "until": until}, follow=True)
    assert "until" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "open"


def test_skip_with_htmx_and_plain_post(owner_client, owner):
    due_people(owner, 2)
    first, second = open_items(owner_client)
    response = owner_client.post(reverse("daily:item-skip", kwargs={"pk": first.pk}), **HTMX)
    assert "Skipped for now." in response.content.decode()
    response = owner_client.post(reverse("daily:item-skip", kwargs={"pk": second.pk}))
    assert response.status_code == 303
    assert set(AgendaItem.objects.values_list("state", flat=True)) == {"skipped"}


def test_less_often_with_htmx_and_plain_post(owner_client, owner):
    due_people(owner, 2)
    first, second = open_items(owner_client)
    owner_client.post(reverse("daily:item-less-often", kwargs={"pk": first.pk}), **HTMX)
    response = owner_client.post(reverse("daily:item-less-often", kwargs={"pk": second.pk}))
    assert response.status_code == 303
    assert set(Person.objects.values_list("cadence_days", flat=True)) == {60}


def test_changes_are_post_only(owner_client, owner):
    due_people(owner, 1)
    item = open_items(owner_client)[0]
    for name in ("daily:item-done", "daily:item-snooze", "daily:item-skip"):
        assert owner_client.get(reverse(name, kwargs={"pk": item.pk})).status_code == 405
    item.refresh_from_db()
    assert item.state == "open"


def test_a_stranger_cannot_touch_the_owners_items(owner_client, owner, stranger_client):
    due_people(owner, 1)
    item = open_items(owner_client)[0]
    response = stranger_client.post(reverse("daily:item-done", kwargs={"pk": item.pk}))
    assert response.status_code == 404
    assert "Person 000" not in stranger_client.get(reverse("daily:today")).content.decode()


@pytest.mark.parametrize("size", [2, 60])
def test_the_page_takes_a_constant_number_of_queries(
    owner_client, owner, size, django_assert_max_num_queries
):
    due_people(owner, size)
    network.rotation_configure(user=owner, weekly_quota=3, order="family_name")
    # The first visit makes the agenda and counts everything else that is due.
    with django_assert_max_num_queries(40):
        owner_client.get(reverse("daily:today"))
    owner_client.get(reverse("daily:today"))  # renders the list for the cache
    with django_assert_max_num_queries(8):
        owner_client.get(reverse("daily:today"))


def test_each_button_names_its_item_for_screen_readers(owner_client, owner):
    due_people(owner, 1)
    html = owner_client.get(reverse("daily:today")).content.decode()
    for label in ("Done", "Snooze", "Skip", "Less often"):
        assert f'{label}<span class="visually-hidden">: Get in touch with Person 000</span>' in html


@pytest.mark.parametrize("size", [2, 40])
def test_an_htmx_change_takes_a_constant_number_of_queries(
    owner_client, owner, size, django_assert_max_num_queries
):
    due_people(owner, size)
    item = open_items(owner_client)[0]
    with django_assert_max_num_queries(15):
        owner_client.post(reverse("daily:item-skip", kwargs={"pk": item.pk}), **HTMX)


def test_more_if_you_have_time_is_rendered_only_when_asked_for(owner_client, owner):
    due_people(owner, 8)
    page = owner_client.get(reverse("daily:today")).content.decode()
    extra = AgendaItem.objects.filter(is_extra=True, owner=owner)
    assert extra.count() == 5
    assert "More if you have time" in page and "(5)" in page
    assert page.count('class="card agenda-item state-open extra"') == 0
    assert f'hx-get="{reverse("daily:more")}"' in page
    # With htmx, opening the list fetches it; without, ?more=1 shows it in the page.
    fragment = owner_client.get(reverse("daily:more"), **HTMX).content.decode()
    assert "<html" not in fragment
    assert fragment.count('class="card agenda-item state-open extra"') == 5
    full = owner_client.get(reverse("daily:today") + "?more=1").content.decode()
    assert full.count('class="card agenda-item state-open extra"') == 5
    assert '<details class="card more-time" id="more" open>' in full


def test_the_more_list_is_the_users_own(owner_client, stranger_client, owner):
    due_people(owner, 8)
    owner_client.get(reverse("daily:today"))
    fragment = stranger_client.get(reverse("daily:more"), **HTMX).content.decode()
    assert "agenda-item" not in fragment


def test_today_links_to_everything_due_with_how_much_there_is(owner_client, owner):
    due_people(owner, 8)
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert (
        f'<a href="{reverse("daily:due")}">Everything due <span class="muted">(8)</span></a>'
        in html
    )


def test_the_count_of_everything_due_follows_what_is_done(owner_client, owner):
    due_people(owner, 8)
    item = open_items(owner_client)[0]
    owner_client.post(reverse("daily:item-done", kwargs={"pk": item.pk}), **HTMX)
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert 'Everything due <span class="muted">(7)</span>' in html


def test_a_day_with_nothing_due_has_no_link_to_everything_due(owner_client, owner):
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert reverse("daily:due") not in html


def test_the_forms_of_a_page_served_again_carry_a_valid_csrf_token(owner):
    due_people(owner, 3)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(reverse("daily:today"))  # makes the agenda
    client.get(reverse("daily:today"))  # renders its list for the cache
    html = client.get(reverse("daily:today")).content.decode()  # the list comes from the cache
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens and "csrf-token-goes-here" not in html
    item = AgendaItem.objects.filter(is_extra=False).order_by("position").first()
    url = reverse("daily:item-done", kwargs={"pk": item.pk})
    assert client.post(url, {"csrfmiddlewaretoken": tokens[0]}).status_code == 303
    item.refresh_from_db()
    assert item.state == "done"


def test_a_title_cannot_pass_for_the_csrf_placeholder(owner_client, owner):
    today = timezone.localdate(timezone=owner.zone)
    network.person_create(
        user=owner, full_name='name="csrfmiddlewaretoken" value="csrf-token-goes-here"',
        cadence_days=30, today=today - timedelta(days=400),
    )  # fmt: skip
    owner_client.get(reverse("daily:today"))
    owner_client.get(reverse("daily:today"))
    html = owner_client.get(reverse("daily:today")).content.decode()
    assert "&quot;csrf-token-goes-here&quot;" in html


def test_the_page_is_the_same_served_again(owner_client, owner):
    due_people(owner, 6)

    def page():
        html = owner_client.get(reverse("daily:today")).content.decode()
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)

    made, rendered, cached = page(), page(), page()
    assert made == rendered == cached
