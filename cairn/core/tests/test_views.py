import json

import pytest
from django.urls import reverse

from cairn.core.areas import AREAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", sorted(AREAS))
def test_each_area_says_what_it_will_do(owner_client, slug):
    response = owner_client.get(reverse("core:area", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert AREAS[slug].purpose in html
    assert 'aria-current="page"' in html


def test_an_unknown_area_is_a_404(owner_client):
    assert owner_client.get(reverse("core:area", args=["nowhere"])).status_code == 404


def test_the_navigation_links_every_area(owner_client):
    html = owner_client.get(reverse("daily:today")).content.decode()
    for slug in AREAS:
        assert f'href="{reverse("core:area", args=[slug])}"' in html
    assert f'href="{reverse("network:people")}"' in html
    assert 'id="global-search"' in html
    assert reverse("core:quick-add") in html


def test_search_answers_htmx_with_a_fragment(owner_client):
    full = owner_client.get(reverse("core:search"), {"q": "ana"})
    assert "<html" in full.content.decode()
    fragment = owner_client.get(reverse("core:search"), {"q": "ana"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html
    assert "ana" in html


def test_the_manifest_makes_it_installable(client):
    response = client.get(reverse("core:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])


def test_messages_are_shown_once(owner_client):
    owner_client.post(
        reverse("accounts:settings"),
        {
            "display_name": "O",
            "email": "owner@example.com",
            "time_zone": "UTC",
            "daily_action_count": "3",
            "mode": "maintain",
        },
    )
    assert "Settings saved." in owner_client.get(reverse("accounts:settings")).content.decode()
    assert "Settings saved." not in owner_client.get(reverse("accounts:settings")).content.decode()
