import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.network import services
from cairn.network.models import Person
from cairn.testing import client_for

pytestmark = pytest.mark.django_db
PEOPLE = reverse("network:people")


def today_for(user):
    return timezone.localdate(timezone=user.zone)


def add(user, name, **values):
    return services.person_create(user=user, full_name=name, **values)


def names(response):
    return [person.full_name for person in response.context["page"].object_list]


def test_a_row_says_who_they_are_and_when_you_last_talked(owner_client, owner):
    today = today_for(owner)
    acme = services.organisation_create(user=owner, name="Acme")
    ana = add(owner, "Ana Ruiz", circles=["Mentors"], strength=4, cadence_days=30)
    services.role_add(user=owner, person=ana, organisation=acme, title="Product lead")
    services.interaction_log(
        user=owner, people=[ana], summary="Coffee", occurred_on=today - timedelta(days=94)
    )
    add(owner, "Bea Lopez", headline="Nurse and teacher")

    html = owner_client.get(PEOPLE).content.decode()

    assert "Ana Ruiz" in html
    assert "Product lead at Acme" in html
    assert "Mentors" in html
    assert "94 days ago" in html
    assert "64 days overdue" in html
    assert 'aria-label="Strength 4 of 5"' in html
    assert "Nurse and teacher" in html


def test_someone_new_shows_an_invitation_to_add_people(owner_client):
    html = owner_client.get(PEOPLE).content.decode()
    assert "Start with the people you already know" in html
    assert reverse("network:person-new") in html


def test_it_needs_a_signed_in_user(client):
    response = client.get(PEOPLE)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_it_filters_by_circle_field_organisation_and_strength(owner_client, owner):
    acme = services.organisation_create(user=owner, name="Acme")
    ana = add(owner, "Ana Ruiz", circles=["Mentors"], fields=["Design"], strength=5)
    add(owner, "Bea Lopez", circles=["Neighbours"], strength=1)
    services.role_add(user=owner, person=ana, organisation=acme)
    mentors = ana.circles.get()
    design = ana.fields.get()

    assert names(owner_client.get(PEOPLE, {"circle": mentors.pk})) == ["Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"field": design.pk})) == ["Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"organisation": acme.pk})) == ["Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"organisation": "acme"})) == ["Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"min_strength": "3"})) == ["Ana Ruiz"]


def test_an_unknown_organisation_is_said_so_and_not_silently_ignored(owner_client, owner):
    add(owner, "Ana Ruiz")
    response = owner_client.get(PEOPLE, {"organisation": "Nowhere Ltd"})
    assert "No organisation called “Nowhere Ltd”" in response.content.decode()


def test_it_filters_by_due_and_by_quiet_time(owner_client, owner):
    today = today_for(owner)
    late = add(owner, "Late Larsen", cadence_days=30)
    add(owner, "Fresh Fernandes", cadence_days=30)
    quiet = add(owner, "Quiet Quinn")
    services.interaction_log(
        user=owner, people=[late, quiet], summary="Call", occurred_on=today - timedelta(days=40)
    )

    assert names(owner_client.get(PEOPLE, {"due": "overdue"})) == ["Late Larsen"]
    assert names(owner_client.get(PEOPLE, {"due": "due"})) == ["Late Larsen"]
    # Never contacted counts as not contacted in 30 days.
    assert names(owner_client.get(PEOPLE, {"quiet_days": "30"})) == [
        "Fresh Fernandes",
        "Late Larsen",
        "Quiet Quinn",
    ]
    assert names(owner_client.get(PEOPLE, {"quiet_days": "50"})) == ["Fresh Fernandes"]


def test_archived_and_binned_people_have_their_own_views(owner_client, owner):
    add(owner, "Ana Ruiz")
    archived = add(owner, "Bea Lopez")
    binned = add(owner, "Cai Wong")
    services.people_archive(user=owner, person_ids=[archived.pk])
    services.person_delete(user=owner, person=binned)

    assert names(owner_client.get(PEOPLE)) == ["Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"show": "archived"})) == ["Bea Lopez"]
    in_bin = owner_client.get(PEOPLE, {"show": "bin"})
    assert names(in_bin) == ["Cai Wong"]
    assert reverse("network:person-restore", args=[binned.pk]) in in_bin.content.decode()


def test_it_sorts(owner_client, owner):
    today = today_for(owner)
    ana = add(owner, "Ana Ruiz", strength=2)
    bea = add(owner, "Bea Lopez", strength=5)
    services.interaction_log(user=owner, people=[ana], summary="Call", occurred_on=today)
    services.interaction_log(
        user=owner, people=[bea], summary="Call", occurred_on=today - timedelta(days=9)
    )
    assert names(owner_client.get(PEOPLE)) == ["Bea Lopez", "Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"sort": "strength"})) == ["Bea Lopez", "Ana Ruiz"]
    assert names(owner_client.get(PEOPLE, {"sort": "last_contacted"})) == [
        "Ana Ruiz",
        "Bea Lopez",
    ]
    assert names(owner_client.get(PEOPLE, {"sort": "least_recent"})) == [
        "Bea Lopez",
        "Ana Ruiz",
    ]


def make_people(user, count):
    circles = ["Ex-colleagues", "Mentors"]
    acme = services.organisation_create(user=user, name="Acme")
    for n in range(count):
        person = add(user, f"Person {n:03}", circles=circles, cadence_days=30)
        services.role_add(user=user, person=person, organisation=acme, title="Engineer")
        services.interaction_log(user=user, people=[person], summary="Hello")


def test_it_pages_fifty_at_a_time_keeping_the_filters(owner_client, owner):
    make_people(owner, 60)
    first = owner_client.get(PEOPLE, {"sort": "name"})
    assert len(names(first)) == 50
    assert "?sort=name&amp;page=2" in first.content.decode()
    second = owner_client.get(PEOPLE, {"sort": "name", "page": 2})
    assert names(second)[0] == "Person 050"
    assert len(names(second)) == 10


@pytest.mark.parametrize("count", [5, 60])
def test_the_query_count_does_not_grow_with_the_network(
    owner_client, owner, count, django_assert_max_num_queries
):
    make_people(owner, count)
    # Session, user, count, the page, its roles and circles, the circle and field choices.
    with django_assert_max_num_queries(9):
        response = owner_client.get(PEOPLE, {"sort": "next_due"})
    assert len(names(response)) == min(count, 50)


def test_the_filters_stay_out_of_the_search_box(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    services.people_archive(user=owner, person_ids=[ana.pk])
    html = owner_client.get(PEOPLE, {"show": "archived", "circle": ""}).content.decode()
    search_box = re.search(r'<input id="global-search"[^>]*>', html)
    assert search_box and "show=archived" not in search_box.group()
    assert 'name="query" value="show=archived"' in html


def test_filters_with_htmx_return_only_the_results(owner_client, owner):
    add(owner, "Ana Ruiz")
    response = owner_client.get(PEOPLE, {"sort": "strength"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="people-results"' in html
    assert "<html" not in html
    assert "Ana Ruiz" in html


def test_bulk_tagging_with_a_plain_post_redirects_back_to_the_same_list(owner_client, owner):
    ana, bea = add(owner, "Ana Ruiz"), add(owner, "Bea Lopez")
    response = owner_client.post(
        reverse("network:people-bulk"),
        {"action": "tag", "circle": "Mentors", "ids": [ana.pk, bea.pk], "query": "sort=strength"},
    )
    assert response.status_code == 303
    assert response["Location"] == f"{PEOPLE}?sort=strength"
    assert {p.full_name for p in Person.objects.filter(circles__name="Mentors")} == {
        "Ana Ruiz",
        "Bea Lopez",
    }
    assert "Added 2 people to “Mentors”." in owner_client.get(response["Location"]).content.decode()


def test_bulk_archiving_with_htmx_returns_the_list_without_them(owner_client, owner):
    ana, bea = add(owner, "Ana Ruiz"), add(owner, "Bea Lopez")
    response = owner_client.post(
        reverse("network:people-bulk"),
        {"action": "archive", "ids": [ana.pk], "query": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Archived 1 person." in html
    assert "Bea Lopez" in html and "Ana Ruiz" not in html
    ana.refresh_from_db()
    assert ana.archived_at is not None

    owner_client.post(
        reverse("network:people-bulk"),
        {"action": "unarchive", "ids": [ana.pk], "query": "show=archived"},
    )
    ana.refresh_from_db()
    assert ana.archived_at is None
    assert bea.archived_at is None


def test_bulk_actions_say_what_is_missing(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    response = owner_client.post(
        reverse("network:people-bulk"), {"action": "archive", "query": ""}, follow=True
    )
    assert "Tick at least one person first." in response.content.decode()
    response = owner_client.post(
        reverse("network:people-bulk"),
        {"action": "tag", "ids": [ana.pk], "circle": " ", "query": ""},
        follow=True,
    )
    assert "Name the circle to add them to." in response.content.decode()
    assert not ana.circles.exists()


def test_bulk_actions_leave_other_peoples_rows_alone(owner, stranger):
    theirs = add(stranger, "Sam Secret")
    response = client_for(owner).post(
        reverse("network:people-bulk"),
        {"action": "archive", "ids": [theirs.pk], "query": ""},
        follow=True,
    )
    assert "Archived 0 people." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.archived_at is None


def test_pickers_suggest_only_your_own_people_and_organisations(owner_client, owner, stranger):
    add(owner, "Ana Ruiz", headline="Designer")
    add(owner, "Ana Ruiz")
    add(stranger, "Ana Secret")
    services.organisation_create(user=owner, name="Anaconda Inc")
    html = owner_client.get(
        reverse("network:people-suggest"), {"field": "introduced_by", "introduced_by": "ana"}
    ).content.decode()
    assert "Secret" not in html
    # Two people of the same name are told apart by their number.
    assert html.count("Ana Ruiz (#") == 2
    html = owner_client.get(
        reverse("network:organisations-suggest"), {"field": "organisation", "organisation": "ana"}
    ).content.decode()
    assert 'value="Anaconda Inc"' in html
