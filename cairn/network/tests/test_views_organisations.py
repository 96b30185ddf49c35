import pytest
from django.urls import reverse

from cairn.network import services
from cairn.network.models import Organisation

pytestmark = pytest.mark.django_db
LIST = reverse("network:organisations")
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_list_counts_who_works_where_and_filters_targets(owner_client, owner):
    acme = services.organisation_create(user=owner, name="Acme", industry="Robots")
    services.organisation_create(user=owner, name="Globex", is_target=True)
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    services.role_add(user=owner, person=ana, organisation=acme)

    response = owner_client.get(LIST)
    html = response.content.decode()
    assert [o.name for o in response.context["page"].object_list] == ["Acme", "Globex"]
    assert "Robots" in html
    assert f"?organisation={acme.pk}" in html
    targets = owner_client.get(LIST, {"targets": "1"})
    assert [o.name for o in targets.context["page"].object_list] == ["Globex"]


@pytest.mark.parametrize("count", [3, 60])
def test_the_query_count_does_not_grow_with_organisations(
    owner_client, owner, count, django_assert_max_num_queries
):
    for n in range(count):
        organisation = services.organisation_create(user=owner, name=f"Org {n:03}")
        person = services.person_create(user=owner, full_name=f"Person {n}")
        services.role_add(user=owner, person=person, organisation=organisation)
    with django_assert_max_num_queries(4):
        response = owner_client.get(LIST)
    assert len(response.context["page"].object_list) == min(count, 50)


def test_creating_and_editing_an_organisation(owner_client, owner):
    response = owner_client.post(
        reverse("network:organisation-new"),
        {"name": " Acme  Corp ", "domain": "WWW.Acme.com", "size": "51-250"},
    )
    acme = Organisation.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("network:organisation-detail", args=[acme.pk])
    assert (acme.name, acme.domain) == ("Acme Corp", "acme.com")

    edit = reverse("network:organisation-edit", args=[acme.pk])
    assert owner_client.get(edit).context["form"]["name"].value() == "Acme Corp"
    response = owner_client.post(edit, {"name": "Acme", "notes": "Hires in **spring**."})
    assert response.status_code == 303
    html = owner_client.get(response["Location"]).content.decode()
    assert "<strong>spring</strong>" in html


@pytest.mark.parametrize(
    ("values", "field"),
    [({"name": ""}, "name"), ({"name": "Acme", "size": "huge"}, "size")],
)
def test_bad_organisation_input_is_refused_on_its_field(owner_client, values, field):
    response = owner_client.post(reverse("network:organisation-new"), values)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_the_page_shows_people_now_and_before_and_interactions(owner_client, owner):
    acme = services.organisation_create(user=owner, name="Acme")
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    bea = services.person_create(user=owner, full_name="Bea Lopez")
    services.role_add(user=owner, person=ana, organisation=acme, title="PM")
    services.role_add(user=owner, person=bea, organisation=acme, title="Intern", is_current=False)
    services.interaction_log(user=owner, people=[ana], organisation=acme, summary="Office visit")
    response = owner_client.get(reverse("network:organisation-detail", args=[acme.pk]))
    assert [r.person.full_name for r in response.context["current"]] == ["Ana Ruiz"]
    assert [r.person.full_name for r in response.context["past"]] == ["Bea Lopez"]
    assert "Office visit" in response.content.decode()


def test_the_target_flag_toggles_with_and_without_htmx(owner_client, owner):
    acme = services.organisation_create(user=owner, name="Acme")
    url = reverse("network:organisation-target", args=[acme.pk])
    response = owner_client.post(url)
    assert response.status_code == 303
    acme.refresh_from_db()
    assert acme.is_target
    response = owner_client.post(url, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="target"')
    assert 'aria-pressed="false"' in html
    acme.refresh_from_db()
    assert not acme.is_target
