import pytest
from django.urls import reverse

from cairn.network import services
from cairn.network.models import Interaction, Person, Rotation

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
ROTATION = reverse("network:rotation")
CONFIGURE = reverse("network:rotation-configure")
MEMBERS = reverse("network:rotation-people")
BULK = reverse("network:rotation-bulk")
SETTINGS = {"weekly_quota": "2", "order": "family_name", "active": "on"}


def add(user, name, **values):
    return services.person_create(user=user, full_name=name, **values)


def start(user, **values):
    settings = {"weekly_quota": 2, "order": "family_name", **values}
    return services.rotation_configure(user=user, **settings)


def log_url(person):
    return reverse("network:rotation-log", args=[person.pk])


def member_url(person):
    return reverse("network:rotation-member", args=[person.pk])


def in_rotation(user):
    return sorted(
        Person.objects.for_user(user).filter(in_rotation=True).values_list("full_name", flat=True)
    )


# ---------------------------------------------------------------- setting it up


def test_before_it_is_set_up_the_page_explains_it_and_offers_to_start(owner_client):
    html = owner_client.get(ROTATION).content.decode()
    assert "Two people a week is a hundred a year" in html
    assert "Start the rotation" in html
    assert f'action="{CONFIGURE}"' in html


def test_starting_it_shows_this_weeks_people(owner_client, owner):
    add(owner, "Ana Ruiz")
    add(owner, "Bo Li")
    add(owner, "Cy Zed")
    response = owner_client.post(CONFIGURE, SETTINGS)
    assert response.status_code == 303
    assert response["Location"] == ROTATION
    rotation = Rotation.objects.get(owner=owner)
    assert (rotation.weekly_quota, rotation.order, rotation.active) == (2, "family_name", True)

    html = owner_client.get(ROTATION).content.decode()
    assert "Rotation saved: 2 a week, on." in html
    assert "This week" in html
    assert "Bo Li" in html and "Ana Ruiz" in html  # Li, Ruiz: the first two by family name
    assert "Cy Zed" not in html
    assert "0 of 3" in html and "week 1 of 2" in html


def test_changing_the_settings_with_htmx_redraws_the_page_in_place(owner_client, owner):
    add(owner, "Ana Ruiz")
    start(owner)
    response = owner_client.post(CONFIGURE, {**SETTINGS, "weekly_quota": "5"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="rotation"' in html
    assert "Rotation saved: 5 a week, on." in html
    assert Rotation.objects.get(owner=owner).weekly_quota == 5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekly_quota": "0"}, "weekly_quota"),
        ({"weekly_quota": "51"}, "weekly_quota"),
        ({"weekly_quota": "two"}, "weekly_quota"),
        ({"weekly_quota": ""}, "weekly_quota"),
        ({"order": "random"}, "order"),
    ],
)
def test_bad_settings_are_refused_on_their_field(owner_client, owner, change, field):
    response = owner_client.post(CONFIGURE, {**SETTINGS, **change})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    response = owner_client.post(CONFIGURE, {**SETTINGS, **change}, **HTMX)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Rotation.objects.exists()


def test_a_paused_rotation_suggests_nobody(owner_client, owner):
    add(owner, "Ana Ruiz")
    start(owner)
    owner_client.post(CONFIGURE, {"weekly_quota": "2", "order": "family_name"})
    assert Rotation.objects.get(owner=owner).active is False
    html = owner_client.get(ROTATION).content.decode()
    assert "The rotation is paused" in html
    assert "Ana Ruiz" not in html


def test_a_long_cycle_suggests_a_quota_that_fits_a_year(owner_client, owner):
    Person.objects.bulk_create(
        Person(owner=owner, full_name=f"P {n}", sort_name=f"p {n:03}") for n in range(110)
    )
    start(owner, weekly_quota=1)
    html = owner_client.get(ROTATION).content.decode()
    assert "one pass over everyone takes 110 weeks" in html
    assert "3 a week would reach everyone within a year" in html


def test_people_not_to_contact_are_never_in_the_batch(owner_client, owner):
    add(owner, "Ana Ruiz", do_not_contact=True)
    add(owner, "Bo Li")
    start(owner)
    html = owner_client.get(ROTATION).content.decode()
    assert "Bo Li" in html
    assert "Ana Ruiz" not in html


# ---------------------------------------------------------------- logging from the batch


def test_one_click_logs_a_coffee_and_ticks_them_off(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    start(owner)
    response = owner_client.post(log_url(ana), {"kind": "coffee"})
    assert response.status_code == 303
    assert response["Location"] == ROTATION
    interaction = Interaction.objects.get(owner=owner)
    assert interaction.kind == "coffee"
    assert list(interaction.people.all()) == [ana]
    html = owner_client.get(ROTATION).content.decode()
    assert "Logged a coffee with Ana Ruiz." in html
    assert "In touch this week" in html
    assert "1 of 1" in html


def test_with_htmx_the_week_comes_back_in_place(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    start(owner)
    response = owner_client.post(log_url(ana), {"kind": "message"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="rotation-week"' in html
    assert "In touch this week" in html
    assert "Logged a message with Ana Ruiz." in html


def test_an_unknown_kind_logs_nothing_and_says_what_is_wrong(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    start(owner)
    response = owner_client.post(log_url(ana), {"kind": "telepathy"}, follow=True)
    assert "What you did: choose a message, a call or a coffee." in response.content.decode()
    assert not Interaction.objects.exists()


def test_someone_in_the_bin_cannot_be_logged(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    start(owner)
    services.person_delete(user=owner, person=ana)
    response = owner_client.post(log_url(ana), {"kind": "call"}, follow=True)
    assert "is in the bin" in response.content.decode()
    assert not Interaction.objects.exists()


def test_logging_while_paused_sends_htmx_to_the_page(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    start(owner, active=False)
    response = owner_client.post(log_url(ana), {"kind": "call"}, **HTMX)
    assert response["HX-Redirect"] == ROTATION


# ---------------------------------------------------------------- who is in it


def test_the_members_page_lists_everyone_with_a_toggle(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    bo = add(owner, "Bo Li", in_rotation=False)
    add(owner, "Cy Zed", do_not_contact=True)
    html = owner_client.get(MEMBERS).content.decode()
    assert "<strong>1</strong> person in the rotation" in html
    assert f'action="{member_url(ana)}"' in html
    assert f'action="{member_url(bo)}"' in html
    assert "Do not contact" in html
    assert 'aria-checked="true"' in html and 'aria-checked="false"' in html


def test_the_members_page_filters_in_and_out(owner_client, owner):
    add(owner, "Ana Ruiz")
    add(owner, "Bo Li", in_rotation=False)
    add(owner, "Cy Zed", do_not_contact=True)
    shown_in = owner_client.get(MEMBERS, {"show": "in"}).content.decode()
    assert "Ana Ruiz" in shown_in and "Bo Li" not in shown_in and "Cy Zed" not in shown_in
    shown_out = owner_client.get(MEMBERS, {"show": "out"}).content.decode()
    assert "Ana Ruiz" not in shown_out and "Bo Li" in shown_out and "Cy Zed" in shown_out
    fragment = owner_client.get(MEMBERS, {"show": "in"}, **HTMX).content.decode()
    assert "<html" not in fragment and 'id="rotation-people"' in fragment


def test_toggling_someone_out_and_back_in(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    response = owner_client.post(member_url(ana), {"included": "0", "query": "show=in"})
    assert response.status_code == 303
    assert response["Location"] == f"{MEMBERS}?show=in"
    assert in_rotation(owner) == []

    response = owner_client.post(member_url(ana), {"included": "1"}, **HTMX)
    assert in_rotation(owner) == ["Ana Ruiz"]
    html = response.content.decode()
    assert "<html" not in html and 'aria-checked="true"' in html


def test_someone_not_to_contact_cannot_be_toggled_in(owner_client, owner):
    ana = add(owner, "Ana Ruiz", do_not_contact=True, in_rotation=False)
    response = owner_client.post(member_url(ana), {"included": "1"}, follow=True)
    assert "marked do not contact" in response.content.decode()
    assert in_rotation(owner) == []


def test_a_whole_circle_in_or_out_at_once(owner_client, owner):
    add(owner, "Ana Ruiz", circles=["Family"])
    add(owner, "Bo Li", circles=["Family"])
    add(owner, "Cy Zed")
    start(owner)
    (family,) = services.circles_get_or_create(user=owner, names=["Family"])

    response = owner_client.post(BULK, {"circle": family.pk, "included": "0"})
    assert response.status_code == 303
    assert in_rotation(owner) == ["Cy Zed"]
    html = owner_client.get(response["Location"]).content.decode()
    assert "Everyone in “Family” is left out of the rotation." in html

    response = owner_client.post(BULK, {"circle": family.pk, "included": "1"}, **HTMX)
    assert in_rotation(owner) == ["Ana Ruiz", "Bo Li", "Cy Zed"]
    assert "Everyone in “Family” is in the rotation." in response.content.decode()


def test_a_bulk_change_names_what_is_missing(owner_client, owner):
    add(owner, "Ana Ruiz")
    start(owner)
    response = owner_client.post(BULK, {"included": "0"}, follow=True)
    assert "Circle: choose one." in response.content.decode()
    response = owner_client.post(BULK, {"circle": "999999", "included": "maybe"}, follow=True)
    html = response.content.decode()
    assert "Circle: Select a valid choice." in html
    assert "What to do: Select a valid choice." in html
    assert in_rotation(owner) == ["Ana Ruiz"]


def test_a_bulk_change_waits_for_the_rotation(owner_client, owner):
    family = services.circles_get_or_create(user=owner, names=["Family"])[0]
    add(owner, "Ana Ruiz", circles=["Family"])
    response = owner_client.post(BULK, {"circle": family.pk, "included": "0"}, follow=True)
    assert "Set up the rotation first." in response.content.decode()
    assert in_rotation(owner) == ["Ana Ruiz"]
    assert not Rotation.objects.exists()


# ---------------------------------------------------------------- isolation and cost


def test_the_owners_rotation_is_their_own(owner_client, owner, stranger_client, stranger):
    add(owner, "Ana Ruiz", circles=["Family"])
    add(stranger, "Sam Else")
    start(owner)
    html = stranger_client.get(ROTATION).content.decode()
    assert "Ana Ruiz" not in html
    assert "Start the rotation" in html  # the owner's rotation is not theirs
    members = stranger_client.get(MEMBERS).content.decode()
    assert "Ana Ruiz" not in members and "Sam Else" in members
    assert "Family" not in members  # nor the owner's circles

    family = services.circles_get_or_create(user=owner, names=["Family"])[0]
    start(stranger)
    stranger_client.post(BULK, {"circle": family.pk, "included": "0"})
    assert in_rotation(owner) == ["Ana Ruiz"]
    assert owner_client.get(ROTATION).content.decode().count("Sam Else") == 0


def test_changes_need_a_post(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    for url in (CONFIGURE, BULK, member_url(ana), log_url(ana)):
        assert owner_client.get(url).status_code == 405


def make_people(user, count):
    acme = services.organisation_create(user=user, name="Acme")
    for n in range(count):
        person = add(user, f"Person {n:03}", circles=["Colleagues"])
        services.role_add(user=user, person=person, organisation=acme, title="Engineer")


@pytest.mark.parametrize("count", [3, 60])
def test_the_members_page_costs_the_same_whatever_the_size(
    owner_client, owner, stranger, count, django_assert_max_num_queries
):
    make_people(owner, count)
    make_people(stranger, 5)
    start(owner)
    # Session, user, circle choices (twice), the count and the page, its roles and circles,
    # the members, the rotation.
    with django_assert_max_num_queries(10):
        response = owner_client.get(MEMBERS)
    assert response.content.decode().count('class="switch"') == min(count, 50)


@pytest.mark.parametrize("count", [3, 60])
def test_the_rotation_page_costs_the_same_whatever_the_size(
    owner_client, owner, count, django_assert_max_num_queries
):
    make_people(owner, count)
    start(owner, weekly_quota=3)
    # Session, user, the rotation (twice), the members, this week's people.
    with django_assert_max_num_queries(6):
        response = owner_client.get(ROTATION)
    assert response.content.decode().count('class="batch-row') == 3
