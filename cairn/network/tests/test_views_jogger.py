import pytest
from django.urls import reverse

from cairn.network import services
from cairn.network.jogger import CATEGORIES
from cairn.network.models import JoggerProgress, Person

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
JOGGER = reverse("network:jogger")
FIRST, SECOND, THIRD = CATEGORIES[:3]


def add_url(category):
    return reverse("network:jogger-add", args=[category.slug])


def skip_url(category):
    return reverse("network:jogger-skip", args=[category.slug])


def names(user):
    return sorted(Person.objects.for_user(user).values_list("full_name", flat=True))


def test_it_starts_with_the_first_category(owner_client):
    response = owner_client.get(JOGGER)
    html = response.content.decode()
    assert FIRST.prompt.replace("'", "&#x27;") in html
    assert f"0 of {len(CATEGORIES)} categories" in html
    assert 'name="names"' in html
    assert f'action="{add_url(FIRST)}"' in html
    assert f'formaction="{skip_url(FIRST)}"' in html
    # Every category is listed, so that any one can be opened.
    for category in CATEGORIES:
        assert reverse("network:jogger-category", args=[category.slug]) in html


def test_adding_names_creates_people_in_the_category_circle_then_moves_on(owner_client, owner):
    response = owner_client.post(add_url(FIRST), {"names": "Ana Ruiz\n\n- Bo Li\n"})
    assert response.status_code == 303
    assert response["Location"] == JOGGER
    assert names(owner) == ["Ana Ruiz", "Bo Li"]
    ana = Person.objects.get(full_name="Ana Ruiz")
    assert [c.name for c in ana.circles.all()] == [FIRST.circle]

    html = owner_client.get(JOGGER).content.decode()
    assert "2 new in your network" in html
    assert reverse("network:person-detail", args=[ana.pk]) in html
    assert SECOND.prompt.replace("'", "&#x27;") in html
    assert f"1 of {len(CATEGORIES)} categories · 2 people added" in html
    # The outcome is said once.
    assert "new in your network" not in owner_client.get(JOGGER).content.decode()


def test_with_htmx_the_outcome_and_the_next_category_come_back_in_place(owner_client, owner):
    response = owner_client.post(add_url(FIRST), {"names": "Ana Ruiz"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="jogger"' in html
    assert "1 new in your network" in html
    assert SECOND.prompt.replace("'", "&#x27;") in html
    assert response["HX-Replace-Url"] == JOGGER


def test_someone_known_by_that_name_gains_the_circle(owner_client, owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    owner_client.post(add_url(FIRST), {"names": "ana ruiz"})
    assert names(owner) == ["Ana Ruiz"]
    assert [c.name for c in ana.circles.all()] == [FIRST.circle]
    html = owner_client.get(JOGGER).content.decode()
    assert "Already known, now also in" in html


def test_a_near_match_is_asked_about_and_can_be_added_anyway(owner_client, owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz")
    owner_client.post(add_url(FIRST), {"names": "Ana Ruis"})
    assert names(owner) == ["Ana Ruiz"]
    html = owner_client.get(JOGGER).content.decode()
    assert "looks like" in html
    assert reverse("network:person-detail", args=[ana.pk]) in html
    assert 'name="add_anyway" value="Ana Ruis"' in html
    assert f'action="{add_url(FIRST)}"' in html  # back to the category it came from

    response = owner_client.post(add_url(FIRST), {"add_anyway": ["Ana Ruis"]})
    assert response.status_code == 303
    assert names(owner) == ["Ana Ruis", "Ana Ruiz"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type at least one name, one per line."),
        ("\n  \n- \n", "Type at least one name, one per line."),
        ("\n".join(f"Person {n}" for n in range(201)), "At most 200 names at a time"),
    ],
)
def test_a_list_it_cannot_use_is_refused_on_the_box(owner_client, owner, typed, message):
    response = owner_client.post(add_url(SECOND), {"names": typed})
    assert response.status_code == 400
    assert message in response.context["form"].errors["names"][0]
    assert SECOND.prompt.replace("'", "&#x27;") in response.content.decode()

    response = owner_client.post(add_url(SECOND), {"names": typed}, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response["HX-Replace-Url"] == reverse("network:jogger-category", args=[SECOND.slug])
    assert names(owner) == []
    assert not JoggerProgress.objects.exists()


def test_skipping_moves_on_and_marks_the_category(owner_client, owner):
    response = owner_client.post(skip_url(FIRST))
    assert response.status_code == 303
    html = owner_client.get(JOGGER).content.decode()
    assert SECOND.prompt.replace("'", "&#x27;") in html
    assert "skipped" in html
    assert JoggerProgress.objects.get(owner=owner).skipped

    response = owner_client.post(skip_url(SECOND), **HTMX)
    assert THIRD.prompt.replace("'", "&#x27;") in response.content.decode()


def test_any_category_can_be_opened_and_an_unknown_one_is_a_404(owner_client):
    url = reverse("network:jogger-category", args=[THIRD.slug])
    html = owner_client.get(url).content.decode()
    assert THIRD.prompt.replace("'", "&#x27;") in html
    assert 'aria-current="step"' in html
    unknown = reverse("network:jogger-category", args=["no-such-thing"])
    assert owner_client.get(unknown).status_code == 404
    assert (
        owner_client.post(reverse("network:jogger-add", args=["no-such-thing"])).status_code == 404
    )
    assert (
        owner_client.post(reverse("network:jogger-skip", args=["no-such-thing"])).status_code == 404
    )


def test_progress_is_kept_between_visits(owner_client, owner):
    owner_client.post(add_url(FIRST), {"names": "Ana Ruiz"})
    owner_client.post(skip_url(SECOND))
    html = owner_client.get(JOGGER).content.decode()
    assert THIRD.prompt.replace("'", "&#x27;") in html
    assert f"2 of {len(CATEGORIES)} categories · 1 person added" in html


def test_starting_over_keeps_the_people(owner_client, owner):
    owner_client.post(add_url(FIRST), {"names": "Ana Ruiz"})
    response = owner_client.post(reverse("network:jogger-restart"))
    assert response.status_code == 303
    html = owner_client.get(JOGGER).content.decode()
    assert FIRST.prompt.replace("'", "&#x27;") in html
    assert "Everyone you added stays." in html
    assert names(owner) == ["Ana Ruiz"]

    owner_client.post(add_url(FIRST), {"names": "Bo Li"})
    response = owner_client.post(reverse("network:jogger-restart"), **HTMX)
    assert "<html" not in response.content.decode()
    assert not JoggerProgress.objects.exists()


def test_when_every_category_is_done_it_says_so(owner_client, owner):
    for category in CATEGORIES:
        services.jogger_skip(user=owner, category=category.slug)
    html = owner_client.get(JOGGER).content.decode()
    assert "You have been through every corner of your life." in html
    assert 'name="names"' not in html


def test_changes_need_a_post(owner_client):
    assert owner_client.get(add_url(FIRST)).status_code == 405
    assert owner_client.get(skip_url(FIRST)).status_code == 405
    assert owner_client.get(reverse("network:jogger-restart")).status_code == 405


def test_the_owners_brainstorm_is_their_own(owner_client, owner, stranger_client, stranger):
    owner_client.post(add_url(FIRST), {"names": "Ana Ruiz\nBo Li"})
    stranger_client.post(add_url(FIRST), {"names": "Cy Dee"})
    html = stranger_client.get(JOGGER).content.decode()
    assert "Ana Ruiz" not in html and "Bo Li" not in html
    assert f"1 of {len(CATEGORIES)} categories · 1 person added" in html
    # The stranger's restart leaves the owner's progress alone.
    stranger_client.post(reverse("network:jogger-restart"))
    assert JoggerProgress.objects.filter(owner=owner).count() == 1
    assert names(stranger) == ["Cy Dee"]
    assert names(owner) == ["Ana Ruiz", "Bo Li"]


@pytest.mark.parametrize("size", [1, 20])
def test_the_page_costs_the_same_whatever_the_progress(
    owner_client, owner, size, django_assert_max_num_queries
):
    for category in CATEGORIES[:size]:
        services.jogger_add_names(
            user=owner, category=category.slug, text=f"Person {category.slug}"
        )
    # Session, user, the progress rows.
    with django_assert_max_num_queries(4):
        response = owner_client.get(JOGGER)
    assert response.status_code == 200
