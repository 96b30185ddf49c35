from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.network import services
from cairn.network.models import ContactPoint, Person, Role
from cairn.network.services import ContactInput

pytestmark = pytest.mark.django_db
NEW = reverse("network:person-new")
HTMX = {"HTTP_HX_REQUEST": "true"}


def today_for(user):
    return timezone.localdate(timezone=user.zone)


def add(user, name="Ana Ruiz", **values):
    return services.person_create(user=user, full_name=name, **values)


def form_data(**values):
    data = {"full_name": "Ana Ruiz", "strength": "1", "cadence": "", "in_rotation": "on"}
    data.update(values)
    return data


def test_a_new_person_with_everything_at_once(owner_client, owner):
    carla = add(owner, "Carla Diaz")
    response = owner_client.post(
        NEW,
        form_data(
            pronouns="she/her",
            emails="ana@example.com\nana.ruiz@work.example",
            phones="+34 612 34 56 78",
            links="linkedin.com/in/ana-ruiz",
            circles="Ex-colleagues, Mentors",
            career_fields="Health tech",
            introduced_by="carla diaz",
            organisation="Acme",
            title="Design lead",
            strength="4",
            cadence="90",
            notes="Met at the *design* meetup.",
        ),
    )
    assert response.status_code == 303
    ana = Person.objects.get(full_name="Ana Ruiz")
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    assert ana.pronouns == "she/her"
    assert ana.contact_points.count() == 4
    assert sorted(c.name for c in ana.circles.all()) == ["Ex-colleagues", "Mentors"]
    assert [f.name for f in ana.fields.all()] == ["Health tech"]
    assert ana.introduced_by == carla
    assert (ana.strength, ana.cadence_days) == (4, 90)
    role = Role.objects.get(person=ana)
    assert (role.organisation.name, role.title) == ("Acme", "Design lead")


def test_a_custom_rhythm(owner_client, owner):
    owner_client.post(NEW, form_data(cadence="custom", cadence_custom="45"))
    assert Person.objects.get().cadence_days == 45


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"full_name": "   "}, "full_name", "required"),
        ({"emails": "ana@example.com\nnot-an-address"}, "emails", "not an email address"),
        ({"phones": "12"}, "phones", "phone"),
        ({"links": "ftp://files.example.com"}, "links", "not a web address"),
        ({"strength": "6"}, "strength", "5"),
        ({"strength": "-1"}, "strength", "0"),
        ({"cadence": "custom", "cadence_custom": "0"}, "cadence_custom", "at least one day"),
        ({"cadence": "custom", "cadence_custom": "-30"}, "cadence_custom", "at least one day"),
        ({"cadence": "custom"}, "cadence_custom", "How many days"),
        ({"cadence": "7"}, "cadence", "valid choice"),
        ({"introduced_by": "Nobody Known"}, "introduced_by", "No one called"),
        ({"met_on": "FUTURE"}, "met_on", "is in the future"),
        ({"met_on": "31/02/2020"}, "met_on", "valid date"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    owner_client, owner, values, field, words
):
    if values.get("met_on") == "FUTURE":
        values = {"met_on": (today_for(owner) + timedelta(days=30)).isoformat()}
    response = owner_client.post(NEW, form_data(organisation="Acme", **values))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words.casefold() in " ".join(errors[field]).casefold()
    assert f'id="id_{field}"' in response.content.decode()
    assert not Person.objects.exists()
    assert not ContactPoint.objects.exists()
    assert not Role.objects.exists()


def edit(client, person, **values):
    return client.post(reverse("network:person-edit", args=[person.pk]), form_data(**values))


def test_the_edit_form_starts_from_what_is_known(owner_client, owner):
    bea = add(owner, "Bea Lopez")
    ana = add(
        owner,
        contact_points=[ContactInput("email", "ana@example.com", "work")],
        circles=["Mentors"],
        cadence_days=45,
        introduced_by=bea,
    )
    response = owner_client.get(reverse("network:person-edit", args=[ana.pk]))
    form = response.context["form"]
    assert form["emails"].value() == "ana@example.com"
    assert form["circles"].value() == "Mentors"
    assert form["introduced_by"].value() == "Bea Lopez"
    assert (form["cadence"].value(), form["cadence_custom"].value()) == ("custom", 45)
    assert "organisation" not in form.fields  # roles are added on the person's page


def test_editing_keeps_the_labels_of_unchanged_addresses(owner_client, owner):
    ana = add(owner, contact_points=[ContactInput("email", "ana@example.com", "work")])
    response = edit(owner_client, ana, emails="ana@example.com\nana@home.example", cadence="30")
    assert response.status_code == 303
    labels = dict(ana.contact_points.values_list("value", "label"))
    assert labels == {"ana@example.com": "work", "ana@home.example": ""}
    ana.refresh_from_db()
    assert ana.cadence_days == 30 and ana.next_due_on is not None


def test_an_introduction_loop_is_refused_on_introduced_by(owner_client, owner):
    ana = add(owner)
    bea = add(owner, "Bea Lopez", introduced_by=ana)
    response = edit(owner_client, ana, introduced_by="Bea Lopez")
    assert response.status_code == 400
    assert "loop" in response.context["form"].errors["introduced_by"][0]
    ana.refresh_from_db()
    assert ana.introduced_by is None
    assert bea.introduced_by == ana
    # Introducing yourself is the shortest loop.
    response = edit(owner_client, ana, introduced_by="Ana Ruiz")
    assert "introduced_by" in response.context["form"].errors


def test_a_refused_edit_shows_the_saved_name_not_the_refused_one(owner_client, owner):
    ana = add(owner)
    future = (today_for(owner) + timedelta(days=30)).isoformat()
    response = edit(owner_client, ana, full_name="Someone Else", met_on=future)
    assert response.status_code == 400
    assert response.context["person"].full_name == "Ana Ruiz"
    ana.refresh_from_db()
    assert ana.full_name == "Ana Ruiz"


def test_two_people_with_one_name_are_told_apart_by_number(owner_client, owner):
    first, second = add(owner, "Bea Lopez"), add(owner, "Bea Lopez")
    ana = add(owner)
    response = edit(owner_client, ana, introduced_by="Bea Lopez")
    assert "2 people are called" in response.context["form"].errors["introduced_by"][0]
    assert edit(owner_client, ana, introduced_by=f"Bea Lopez (#{second.pk})").status_code == 303
    ana.refresh_from_db()
    assert ana.introduced_by == second != first


def test_someone_elses_person_cannot_be_chosen_by_number(owner_client, owner, stranger):
    theirs = add(stranger, "Sam Secret")
    ana = add(owner)
    response = edit(owner_client, ana, introduced_by=f"Sam Secret (#{theirs.pk})")
    assert response.status_code == 400
    assert "There is no person" in response.context["form"].errors["introduced_by"][0]


def test_editing_with_htmx_is_told_where_to_go(owner_client, owner):
    ana = add(owner)
    response = owner_client.post(
        reverse("network:person-edit", args=[ana.pk]), form_data(headline="Designer"), **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("network:person-detail", args=[ana.pk])
