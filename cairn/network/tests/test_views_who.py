from datetime import date

import pytest
from django.urls import reverse

from cairn.network import services

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
WHO = reverse("network:who")


def add(user, name, **values):
    return services.person_create(user=user, full_name=name, **values)


@pytest.fixture
def network(owner):
    """Bo works at Acme, Dee used to; Ana worked with Bo (stated), Cy overlapped with Bo at
    Initech (inferred); Bo and Eve do product management in Lisbon."""
    acme = services.organisation_create(user=owner, name="Acme")
    initech = services.organisation_create(user=owner, name="Initech")
    bo = add(owner, "Bo Li", location="Lisbon", fields=["Product management"])
    dee = add(owner, "Dee Past")
    ana = add(owner, "Ana Ruiz", strength=4)
    cy = add(owner, "Cy Colleague", strength=3)
    eve = add(owner, "Eve Lopes", location="Lisbon, Portugal", fields=["Product management"])
    services.role_add(
        user=owner, person=bo, organisation=acme, title="Product Manager",
        started_on=date(2022, 1, 1),
    )  # fmt: skip
    services.role_add(
        user=owner, person=dee, organisation=acme, title="Analyst",
        started_on=date(2015, 1, 1), ended_on=date(2018, 1, 1),
    )  # fmt: skip
    services.role_add(
        user=owner, person=bo, organisation=initech, title="Designer",
        started_on=date(2019, 1, 1), ended_on=date(2021, 6, 30),
    )  # fmt: skip
    services.role_add(
        user=owner, person=cy, organisation=initech, title="Engineer",
        started_on=date(2018, 1, 1), ended_on=date(2021, 12, 31),
    )  # fmt: skip
    services.link_add(user=owner, from_person=ana, to_person=bo, kind="worked_with")
    return {"acme": acme, "bo": bo, "dee": dee, "ana": ana, "cy": cy, "eve": eve}


def person_url(person):
    return reverse("network:person-detail", args=[person.pk])


def test_an_empty_page_explains_what_to_ask(owner_client):
    response = owner_client.get(WHO)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="at"' in html and 'name="field"' in html and 'name="city"' in html
    assert "Second-degree paths come from" in html
    assert 'class="form-errors"' not in html


def test_asking_nothing_is_refused_with_a_reason(owner_client):
    response = owner_client.get(WHO, {"at": " ", "field": "", "city": ""})
    assert response.status_code == 400
    assert "Fill in at least one" in response.content.decode()
    response = owner_client.get(WHO, {"at": ""}, **HTMX)
    assert response.status_code == 200
    assert "Fill in at least one" in response.content.decode()


def test_a_too_long_answer_is_refused_on_its_field(owner_client):
    response = owner_client.get(WHO, {"city": "x" * 201})
    assert response.status_code == 400
    assert "city" in response.context["form"].errors


def test_at_an_organisation_people_there_now_and_before(owner_client, network):
    html = owner_client.get(WHO, {"at": "acme"}).content.decode()
    assert "At Acme" in html
    assert person_url(network["bo"]) in html
    assert "Product Manager at Acme (since 2022)" in html
    assert person_url(network["dee"]) in html
    assert "Analyst at Acme (2015–2018)" in html
    assert html.index("Bo Li") < html.index("Dee Past")  # someone there now first


def test_second_degree_paths_show_who_could_introduce_and_why(owner_client, network):
    html = owner_client.get(WHO, {"at": "Acme"}).content.decode()
    assert "Who could introduce you" in html
    paths = html[html.index("Who could introduce you") :]
    # Ana said to have worked with Bo; Cy only overlapped with him at Initech.
    assert person_url(network["ana"]) in paths
    assert "Worked with Ana Ruiz" in paths
    assert person_url(network["cy"]) in paths
    assert "Probably knows Cy Colleague: both at Initech 2019–2021" in paths
    cy_path = paths[paths.index("Cy Colleague") :]
    assert "Probably know each other" in cy_path
    ana_path = paths[paths.index("Ana Ruiz") : paths.index("Cy Colleague")]
    assert "Probably know each other" not in ana_path


def test_an_organisation_nobody_knows_of(owner_client, network):
    html = owner_client.get(WHO, {"at": "Umbrella"}).content.decode()
    assert "No organisation in your network looks like “Umbrella”." in html


def test_in_a_field_and_in_a_city(owner_client, network):
    html = owner_client.get(WHO, {"field": "product management"}).content.decode()
    assert "In Product management" in html
    assert person_url(network["bo"]) in html and person_url(network["eve"]) in html
    assert person_url(network["ana"]) not in html

    html = owner_client.get(WHO, {"city": "lisbon"}).content.decode()
    assert "In lisbon" in html
    assert "Lives in Lisbon, Portugal" in html
    assert person_url(network["bo"]) in html and person_url(network["eve"]) in html


def test_asking_several_things_puts_who_answers_all_first(owner_client, network):
    html = owner_client.get(WHO, {"at": "Acme", "city": "Lisbon"}).content.decode()
    both = html[html.index("Answering all of it") : html.index("At Acme")]
    assert person_url(network["bo"]) in both
    assert person_url(network["eve"]) not in both
    html = owner_client.get(WHO, {"at": "Acme", "field": "nursing"}).content.decode()
    assert "Nobody answers everything you asked" in html


def test_with_htmx_only_the_answers_come_back(owner_client, network):
    response = owner_client.get(WHO, {"at": "Acme"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="who-results"' in html
    assert "Bo Li" in html


def test_the_page_is_linked_from_the_network_pages(owner_client):
    html = owner_client.get(reverse("network:people")).content.decode()
    assert f'href="{WHO}"' in html


def test_a_stranger_finds_only_their_own_people(owner_client, network, stranger, stranger_client):
    acme = services.organisation_create(user=stranger, name="Acme")
    sam = add(stranger, "Sam Secret", location="Lisbon", fields=["Product management"])
    services.role_add(user=stranger, person=sam, organisation=acme, title="Spy")
    for asked in ({"at": "Acme"}, {"field": "product"}, {"city": "Lisbon"}):
        theirs = stranger_client.get(WHO, asked).content.decode()
        assert "Sam Secret" in theirs
        assert "Bo Li" not in theirs and "Ana Ruiz" not in theirs and "Eve Lopes" not in theirs
        mine = owner_client.get(WHO, asked).content.decode()
        assert "Sam Secret" not in mine


def grow(user, count):
    """`count` people at Acme, each linked to a friend outside it."""
    acme = services.organisation_create(user=user, name="Acme")
    for n in range(count):
        inside = add(user, f"Inside {n}", location="Lisbon", fields=["Product management"])
        friend = add(user, f"Friend {n}", strength=3)
        services.role_add(user=user, person=inside, organisation=acme, title="Engineer")
        services.link_add(user=user, from_person=friend, to_person=inside, kind="friend")


@pytest.mark.parametrize("count", [2, 40])
def test_the_answers_cost_the_same_whatever_the_size(
    owner_client, owner, stranger, count, django_assert_max_num_queries
):
    grow(owner, count)
    grow(stranger, 3)
    asked = {"at": "Acme", "field": "Product management", "city": "Lisbon"}
    # Session, user, the field choices; who-at (at most six), in field (five), in city (three).
    with django_assert_max_num_queries(17):
        response = owner_client.get(WHO, asked)
    html = response.content.decode()
    assert html.count('class="who-row"') == 3 * count
    assert "Friend 0" in html
