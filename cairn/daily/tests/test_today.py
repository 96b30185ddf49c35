import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_today_greets_the_user_and_explains_the_empty_agenda(owner_client, owner):
    response = owner_client.get(reverse("daily:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert owner.display_name in html
    assert "Nothing is due yet" in html


def test_today_uses_a_constant_number_of_queries(owner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        owner_client.get(reverse("daily:today"))
