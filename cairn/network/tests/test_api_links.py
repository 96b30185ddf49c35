"""Links through the API: create, list, delete; refusals; read-only tokens."""

import json

import pytest
from django.utils import timezone

from cairn.network import selectors, services
from cairn.network.models import Link
from cairn.testing import api_client_for

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def api(owner):
    return api_client_for(owner)


def add(user, name):
    return services.person_create(user=user, full_name=name)


def test_a_link_is_created_listed_and_deleted(api, owner):
    ana, bo, cy = add(owner, "Ana Ruiz"), add(owner, "Bo Chen"), add(owner, "Cy Ode")
    response = post(
        api,
        "/api/v1/links",
        {"from_person_id": bo.pk, "to_person_id": ana.pk, "kind": "worked_with", "note": "Acme"},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created == {
        "id": created["id"],
        "from_person_id": bo.pk,
        "to_person_id": ana.pk,
        "kind": "worked_with",
        "note": "Acme",
    }
    other = post(api, "/api/v1/links", {"from_person_id": cy.pk, "to_person_id": bo.pk})
    assert other.json()["kind"] == "other"

    everything = api.get("/api/v1/links").json()
    assert everything["count"] == 2
    # A person's links, either way round.
    of_ana = api.get(f"/api/v1/links?person_id={ana.pk}").json()
    assert [link["id"] for link in of_ana["items"]] == [created["id"]]
    of_bo = api.get(f"/api/v1/links?person_id={bo.pk}&limit=1").json()
    assert of_bo["count"] == 2 and len(of_bo["items"]) == 1

    assert api.get(f"/api/v1/links/{created['id']}").json() == created
    assert api.delete(f"/api/v1/links/{created['id']}").status_code == 204
    assert api.delete(f"/api/v1/links/{created['id']}").status_code == 404
    assert api.get(f"/api/v1/links?person_id={ana.pk}").json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("payload", "field", "status"),
    [
        ({"kind": "enemy"}, "kind", 422),
        ({"note": "x" * 301}, "note", 422),
        ({"to": "self"}, "to_person", 400),
        ({"to": "bin"}, "to_person", 400),
    ],
)
def test_bad_links_are_refused_with_the_field_named(api, owner, payload, field, status):
    ana, bo = add(owner, "Ana Ruiz"), add(owner, "Bo Chen")
    to = payload.pop("to", None)
    target = ana if to == "self" else bo
    if to == "bin":
        services.person_delete(user=owner, person=bo)
    body = {"from_person_id": ana.pk, "to_person_id": target.pk, **payload}
    response = post(api, "/api/v1/links", body)
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer.get("field") == field or field in {d["field"] for d in answer.get("details", [])}
    assert not Link.objects.exists()


def test_a_strangers_people_cannot_be_linked(api, owner, stranger):
    ana = add(owner, "Ana Ruiz")
    theirs = add(stranger, "Zed Stranger")
    for body in (
        {"from_person_id": ana.pk, "to_person_id": theirs.pk},
        {"from_person_id": theirs.pk, "to_person_id": ana.pk},
    ):
        assert post(api, "/api/v1/links", body).status_code == 404
    services.link_add(user=stranger, from_person=theirs, to_person=add(stranger, "Yan Other"))
    assert api.get("/api/v1/links").json() == {"items": [], "count": 0}
    assert api.get(f"/api/v1/links?person_id={theirs.pk}").json()["count"] == 0
    assert not Link.objects.filter(owner=owner).exists()


def test_a_read_only_token_reads_but_does_not_write(owner):
    ana, bo = add(owner, "Ana Ruiz"), add(owner, "Bo Chen")
    link = services.link_add(user=owner, from_person=ana, to_person=bo)
    reader = api_client_for(owner, read_only=True)
    assert reader.get("/api/v1/links").json()["count"] == 1
    refused = post(reader, "/api/v1/links", {"from_person_id": bo.pk, "to_person_id": ana.pk})
    assert refused.status_code == 403 and refused.json()["code"] == "read_only"
    assert reader.delete(f"/api/v1/links/{link.pk}").status_code == 403
    assert Link.objects.count() == 1


def test_a_link_made_through_the_api_opens_a_second_degree_path(api, owner):
    ana, bo = add(owner, "Ana Ruiz"), add(owner, "Bo Chen")
    acme = services.organisation_create(user=owner, name="Acme")
    services.role_add(user=owner, person=ana, organisation=acme, title="PM")
    post(api, "/api/v1/links", {"from_person_id": bo.pk, "to_person_id": ana.pk, "kind": "friend"})
    found = selectors.who_knows_at(owner, organisation="Acme", today=timezone.localdate())
    assert [(path.via.id, path.target.id) for path in found.paths] == [(bo.pk, ana.pk)]
