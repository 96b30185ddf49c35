import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cairn.network import services
from cairn.network.models import Interaction, Person
from cairn.testing import api_client_for

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def api(owner):
    return api_client_for(owner)


def test_a_person_round_trips_through_the_api(api, owner):
    response = post(
        api,
        "/api/v1/people",
        {
            "full_name": "Ana Ruiz",
            "headline": "Product at Acme",
            "strength": 4,
            "cadence_days": 60,
            "circles": ["Mentors"],
            "contact_points": [{"kind": "email", "value": "Ana@Example.com", "label": "work"}],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["family_name"] == "Ruiz"
    assert created["circles"] == ["Mentors"]
    assert created["contact_points"][0]["value"] == "Ana@Example.com"
    got = api.get(f"/api/v1/people/{created['id']}").json()
    assert got == created
    changed = patch(api, f"/api/v1/people/{created['id']}", {"strength": 5, "archived": True})
    assert changed.status_code == 200
    assert changed.json()["strength"] == 5
    assert changed.json()["archived"] is True
    assert changed.json()["circles"] == ["Mentors"]  # untouched lists stay


def test_a_birthday_with_or_without_its_year(api):
    created = post(
        api, "/api/v1/people", {"full_name": "Bea Lopez", "birthday_month": 3, "birthday_day": 31}
    ).json()
    assert (created["birthday_month"], created["birthday_day"], created["birthday_year"]) == (
        3, 31, None,
    )  # fmt: skip
    changed = patch(api, f"/api/v1/people/{created['id']}", {"birthday_year": 1990}).json()
    assert (changed["birthday_month"], changed["birthday_day"], changed["birthday_year"]) == (
        3, 31, 1990,
    )  # fmt: skip
    half = post(api, "/api/v1/people", {"full_name": "Cy Half", "birthday_month": 3})
    assert half.status_code == 400, half.content
    assert half.json()["field"] == "birthday_day"
    leap = {"full_name": "Di Leap", "birthday_month": 2, "birthday_day": 29}
    assert post(api, "/api/v1/people", leap).status_code == 201
    not_leap = post(api, "/api/v1/people", {**leap, "full_name": "Ed Feb", "birthday_year": 2023})
    assert not_leap.status_code == 400
    assert "February 2023 has no day 29" in not_leap.json()["error"]
    assert not Person.objects.filter(full_name__in=["Cy Half", "Ed Feb"]).exists()


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"full_name": "X", "contact_points": [{"kind": "email", "value": "nope"}]}, "emails", 400),
        ({"full_name": "X", "strength": 9}, "strength", 400),
        ({"full_name": "X", "cadence_days": 0}, "cadence_days", 400),
        (
            {"full_name": "X", "met_on": (date.today() + timedelta(days=30)).isoformat()},
            "met_on",
            400,
        ),
        ({"full_name": ""}, "full_name", 422),
        ({"full_name": "X", "strength": "lots"}, "strength", 422),
    ],
)
def test_bad_input_is_refused_with_the_field_named(api, payload, field, status):
    response = post(api, "/api/v1/people", payload)
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"error", "code"}
    assert field in body["error"]
    assert not Person.objects.exists()


def test_logging_an_interaction_updates_the_person(api, owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz", cadence_days=30)
    response = post(
        api,
        "/api/v1/interactions",
        {"people": [ana.pk], "summary": "Coffee about roles", "kind": "coffee"},
    )
    assert response.status_code == 201, response.content
    person = api.get(f"/api/v1/people/{ana.pk}").json()
    assert person["last_contact_on"] == response.json()["occurred_on"]
    assert (
        api.get(f"/api/v1/interactions?person_id={ana.pk}").json()["items"][0]["kind"] == "coffee"
    )


def test_an_interaction_cannot_name_a_strangers_person(api, stranger):
    theirs = services.person_create(user=stranger, full_name="Not Yours")
    response = post(api, "/api/v1/interactions", {"people": [theirs.pk], "summary": "x"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not Interaction.objects.exists()


def test_the_list_filters_sorts_and_paginates_without_extra_queries(api, owner, stranger):
    for number in range(30):
        person = services.person_create(
            user=owner, full_name=f"Person {number:02d}", strength=number % 6
        )
        acme = services.organisation_get_or_create(user=owner, name="Acme")
        services.role_add(user=owner, person=person, organisation=acme, title="Engineer")
    services.person_create(user=stranger, full_name="Stranger's Friend", strength=5)
    page = api.get("/api/v1/people?limit=10&offset=0&sort=strength").json()
    assert page["count"] == 30
    assert [p["strength"] for p in page["items"]] == sorted(
        (p["strength"] for p in page["items"]), reverse=True
    )
    strong = api.get("/api/v1/people?min_strength=5&limit=100").json()
    assert {p["full_name"] for p in strong["items"]} == {
        f"Person {n:02d}" for n in range(30) if n % 6 == 5
    }
    with CaptureQueriesContext(connection) as small:
        api.get("/api/v1/people?limit=5")
    with CaptureQueriesContext(connection) as large:
        api.get("/api/v1/people?limit=30")
    assert len(large) == len(small)


def test_delete_moves_to_the_bin_and_restore_brings_back(api, owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    assert api.delete(f"/api/v1/people/{ana.pk}").status_code == 204
    assert api.get("/api/v1/people").json()["count"] == 0
    assert api.get("/api/v1/people?in_bin=true").json()["count"] == 1
    assert api.post(f"/api/v1/people/{ana.pk}/restore").status_code == 200
    assert api.get("/api/v1/people").json()["count"] == 1


def test_merge_and_undo(api, owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    dup = services.person_create(user=owner, full_name="Ana R.", headline="PM")
    merged = post(api, f"/api/v1/people/{ana.pk}/merge", {"absorbed_id": dup.pk})
    assert merged.status_code == 200, merged.content
    assert api.get(f"/api/v1/people/{ana.pk}").json()["headline"] == "PM"
    undone = api.post(f"/api/v1/merges/{merged.json()['id']}/undo")
    assert undone.json()["undone"] is True
    assert api.get(f"/api/v1/people/{ana.pk}").json()["headline"] == ""
    again = api.post(f"/api/v1/merges/{merged.json()['id']}/undo")
    assert again.status_code == 409


def test_a_read_only_token_can_read_but_not_write(owner):
    reader = api_client_for(owner, read_only=True)
    assert reader.get("/api/v1/people").status_code == 200
    response = post(reader, "/api/v1/people", {"full_name": "Ana"})
    assert response.status_code == 403
    assert response.json()["code"] == "read_only"
    assert not Person.objects.exists()


def test_organisations_roles_favours_and_events(api, owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    org = post(
        api, "/api/v1/organisations", {"name": "Acme", "domain": "WWW.Acme.com", "is_target": True}
    )
    assert org.status_code == 201
    assert org.json()["domain"] == "acme.com"
    role = post(
        api,
        "/api/v1/roles",
        {"person_id": ana.pk, "organisation_id": org.json()["id"], "title": "PM"},
    )
    assert role.status_code == 201
    bad = post(
        api,
        "/api/v1/roles",
        {
            "person_id": ana.pk,
            "organisation_name": "Initech",
            "started_on": "2024-01-01",
            "ended_on": "2023-01-01",
        },
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "ended_on"
    assert (
        api.get("/api/v1/organisations?targets_only=true").json()["items"][0]["current_people"] == 1
    )
    favour = post(
        api,
        "/api/v1/favours",
        {"person_id": ana.pk, "direction": "given", "description": "Reviewed CV"},
    )
    assert favour.status_code == 201
    event = post(
        api,
        "/api/v1/events",
        {"person_id": ana.pk, "kind": "promotion", "occurred_on": "2026-01-10"},
    )
    assert event.status_code == 201
    done = patch(api, f"/api/v1/events/{event.json()['id']}", {"congratulated": True})
    assert done.json()["congratulated"] is True
    assert api.delete(f"/api/v1/organisations/{org.json()['id']}").status_code == 204
    assert api.get("/api/v1/roles").json() == {"items": [], "count": 0}


def test_search_and_who_through_the_api(api, owner, stranger):
    ana = services.person_create(user=owner, full_name="Ana Ruiz", location="Lisbon")
    bo = services.person_create(user=owner, full_name="Bo Chen", strength=4)
    acme = services.organisation_get_or_create(user=owner, name="Acme")
    services.role_add(user=owner, person=ana, organisation=acme, title="PM")
    services.link_add(user=owner, from_person=bo, to_person=ana, kind="worked_with")
    services.person_create(user=stranger, full_name="Ana Ruizz")

    hits = api.get("/api/v1/search?q=ana ru").json()
    assert [(hit["kind"], hit["id"]) for hit in hits] == [("person", ana.pk)]
    assert api.get("/api/v1/search?q=ana&kind=nonsense").json()["field"] == "kind"
    assert api.get("/api/v1/search").status_code == 422

    at = api.get("/api/v1/who?at=acme").json()
    assert [p["id"] for p in at["first_degree"]] == [ana.pk]
    assert [(p["via"]["id"], p["target"]["id"]) for p in at["second_degree"]] == [(bo.pk, ana.pk)]
    city = api.get("/api/v1/who?city=lisbon").json()
    assert [p["id"] for p in city["first_degree"]] == [ana.pk]
    assert api.get("/api/v1/who?at=acme&city=lisbon").status_code == 400
