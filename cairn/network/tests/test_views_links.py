"""Who a person knows, stated on their page: add, remove, refusals, isolation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.network import selectors, services
from cairn.network.models import Link

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def add(user, name="Ana Ruiz"):
    return services.person_create(user=user, full_name=name)


def page(client, person):
    return client.get(reverse("network:person-detail", args=[person.pk])).content.decode()


def test_a_plain_post_states_a_link_and_goes_back_to_the_page(owner_client, owner):
    ana, bo = add(owner), add(owner, "Bo Chen")
    response = owner_client.post(
        reverse("network:link-add", args=[ana.pk]),
        {"to_person": "bo chen", "kind": "worked_with", "note": "  At Acme, 2019  "},
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    link = Link.objects.get()
    assert (link.from_person, link.to_person, link.kind, link.note) == (
        ana,
        bo,
        "worked_with",
        "At Acme, 2019",
    )
    # Both pages show it, each naming the other person.
    assert f'href="/network/people/{bo.pk}/">Bo Chen</a>' in page(owner_client, ana)
    html = page(owner_client, bo)
    assert f'href="/network/people/{ana.pk}/">Ana Ruiz</a>' in html
    assert "worked with" in html and "At Acme, 2019" in html


def test_htmx_gets_the_section_back(owner_client, owner):
    ana, _ = add(owner), add(owner, "Bo Chen")
    response = owner_client.post(
        reverse("network:link-add", args=[ana.pk]),
        {"to_person": "Bo Chen", "kind": "friend"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="knows"' in html and "Bo Chen" in html and "friend" in html
    assert Link.objects.count() == 1


def test_removing_a_link_plain_and_htmx(owner_client, owner):
    ana, bo, cy = add(owner), add(owner, "Bo Chen"), add(owner, "Cy Ode")
    first = services.link_add(user=owner, from_person=ana, to_person=bo, kind="friend")
    second = services.link_add(user=owner, from_person=cy, to_person=ana)

    response = owner_client.post(
        reverse("network:link-delete", args=[first.pk]), {"person": str(ana.pk)}
    )
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    assert not Link.objects.filter(pk=first.pk).exists()

    # From the page of the link's second person, the answer is that page's section.
    response = owner_client.post(
        reverse("network:link-delete", args=[second.pk]), {"person": str(ana.pk)}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'id="knows"' in html and "Cy Ode" not in html.split('id="knows"')[1].split("</section>")[0]
    )
    assert not Link.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_bad_input_is_named_on_its_field(owner_client, owner, htmx):
    ana = add(owner)
    url = reverse("network:link-add", args=[ana.pk])
    extra = HTMX if htmx else {}

    response = owner_client.post(url, {"to_person": "Nobody Here", "kind": "friend"}, **extra)
    assert response.status_code == (200 if htmx else 400)
    assert "No one called" in response.context["knows_form"].errors["to_person"][0]

    response = owner_client.post(url, {"to_person": "Ana Ruiz", "kind": "friend"}, **extra)
    assert "themselves" in response.context["knows_form"].errors["to_person"][0]

    add(owner, "Bo Chen")
    response = owner_client.post(url, {"to_person": "Bo Chen", "kind": "enemy"}, **extra)
    assert response.context["knows_form"].errors["kind"]
    assert not Link.objects.exists()


def test_someone_in_the_bin_cannot_be_linked(owner_client, owner):
    ana, bo = add(owner), add(owner, "Bo Chen")
    services.person_delete(user=owner, person=bo)
    response = owner_client.post(
        reverse("network:link-add", args=[ana.pk]),
        {"to_person": f"Bo Chen (#{bo.pk})", "kind": "friend"},
    )
    assert response.status_code == 400
    assert response.context["knows_form"].errors["to_person"]
    with pytest.raises(Exception, match="in the bin"):
        services.link_add(user=owner, from_person=ana, to_person=bo)
    assert not Link.objects.exists()


def test_a_link_to_someone_in_the_bin_is_not_shown(owner_client, owner):
    ana, bo = add(owner), add(owner, "Bo Chen")
    services.link_add(user=owner, from_person=ana, to_person=bo, kind="friend")
    services.person_delete(user=owner, person=bo)
    assert "Bo Chen" not in page(owner_client, ana)


def test_a_strangers_person_cannot_be_linked(owner_client, owner, stranger):
    ana = add(owner)
    theirs = add(stranger, "Zed Stranger")
    response = owner_client.post(
        reverse("network:link-add", args=[ana.pk]),
        {"to_person": f"Zed Stranger (#{theirs.pk})", "kind": "friend"},
    )
    assert response.status_code == 400
    assert response.context["knows_form"].errors["to_person"]
    response = owner_client.post(
        reverse("network:link-add", args=[ana.pk]), {"to_person": "Zed Stranger", "kind": "friend"}
    )
    assert response.context["knows_form"].errors["to_person"]
    assert not Link.objects.exists()


def test_a_stranger_gets_404_on_links(owner, stranger, stranger_client):
    ana, bo = add(owner), add(owner, "Bo Chen")
    link = services.link_add(user=owner, from_person=ana, to_person=bo)
    add(stranger, "Bo Chen")
    response = stranger_client.post(
        reverse("network:link-add", args=[ana.pk]), {"to_person": "Bo Chen", "kind": "friend"}
    )
    assert response.status_code == 404
    assert stranger_client.post(reverse("network:link-delete", args=[link.pk])).status_code == 404
    assert Link.objects.count() == 1


def test_a_stated_link_opens_a_second_degree_path(owner_client, owner):
    ana, bo = add(owner), add(owner, "Bo Chen")
    acme = services.organisation_create(user=owner, name="Acme")
    services.role_add(user=owner, person=ana, organisation=acme, title="PM")
    before = selectors.who_knows_at(owner, organisation="Acme", today=timezone.localdate())
    assert not [path for path in before.paths if path.via.id == bo.pk]

    owner_client.post(
        reverse("network:link-add", args=[bo.pk]), {"to_person": "Ana Ruiz", "kind": "worked_with"}
    )

    after = selectors.who_knows_at(owner, organisation="Acme", today=timezone.localdate())
    assert [(path.via.id, path.target.id) for path in after.paths] == [(bo.pk, ana.pk)]


def test_reporting_lines_read_the_right_way_round_on_both_pages(owner_client, owner):
    ana, bo = add(owner), add(owner, "Bo Chen")
    services.link_add(user=owner, from_person=ana, to_person=bo, kind="reports_to")
    assert "their manager" in page(owner_client, ana)
    assert "reports to them" in page(owner_client, bo)
