"""The Today page costs the same number of queries whatever the size of the network and
whatever has been done, snoozed or skipped today."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cairn.daily.models import AgendaItem
from cairn.network import services as network
from cairn.network.models import Person
from cairn.testing import client_for

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def network_of(owner, size):
    """`size` people, all due, in this week's rotation, with a follow-up and a favour owed.

    The people are written directly, for speed: the services that write them are tested with
    the network, and a page's cost depends only on what the rows say.
    """
    today = timezone.localdate(timezone=owner.zone)
    Person.objects.bulk_create(
        Person(
            owner=owner,
            full_name=f"Person {n:03}",
            given_name="Person",
            family_name=f"{n:03}",
            sort_name=f"{n:03} person",
            strength=n % 6,
            cadence_days=30,
            last_contact_on=today - timedelta(days=40 + n % 50),
            next_due_on=today - timedelta(days=10 + n % 50),
        )
        for n in range(size)
    )
    first = Person.objects.for_user(owner).order_by("pk").first()
    network.interaction_log(
        user=owner, people=[first], summary="Coffee", occurred_on=today - timedelta(days=9),
        follow_up_on=today - timedelta(days=2), today=today,
    )  # fmt: skip
    network.favour_add(user=owner, person=first, direction="received", description="Intro")
    network.rotation_configure(user=owner, weekly_quota=3, order="family_name")


def queries(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured)


def deal_with_some(client, owner):
    """Do the first item with a note, snooze the second, skip the third."""
    items = list(AgendaItem.objects.for_user(owner).filter(is_extra=False).order_by("position"))
    tomorrow = {"when": "tomorrow"}
    client.post(reverse("daily:item-done", kwargs={"pk": items[0].pk}), {"note": "Rang"}, **HTMX)
    client.post(reverse("daily:item-snooze", kwargs={"pk": items[1].pk}), tomorrow, **HTMX)
    client.post(reverse("daily:item-skip", kwargs={"pk": items[2].pk}), **HTMX)


def costs(client, owner):
    """Queries of: the first visit (which makes the agenda), the second (which renders the
    list for the cache), a later one, one after changes (the list is rendered again), one
    after that, and the extras opened."""
    first = queries(client, reverse("daily:today"))
    second = queries(client, reverse("daily:today"))
    again = queries(client, reverse("daily:today"))
    deal_with_some(client, owner)
    changed = queries(client, reverse("daily:today"))
    settled = queries(client, reverse("daily:today"))
    more = queries(client, reverse("daily:today") + "?more=1")
    return first, second, again, changed, settled, more


def test_the_same_queries_for_five_people_as_for_two_hundred(owner, stranger):
    network_of(owner, 5)
    network_of(stranger, 200)
    assert costs(client_for(owner), owner) == costs(client_for(stranger), stranger)


def test_a_visit_to_an_unchanged_day_is_a_handful_of_queries(owner, owner_client):
    network_of(owner, 20)
    owner_client.get(reverse("daily:today"))  # makes the agenda
    owner_client.get(reverse("daily:today"))  # renders its list for the cache
    # The session, the user, the agenda's stamp, and what the practice panel reads.
    assert queries(owner_client, reverse("daily:today")) <= 8
