import pytest
from django.urls import reverse

from cairn.network import services
from cairn.network.models import MergeRecord, Organisation, Person, Role

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
QUICK_ADD = reverse("network:quick-add")
CONFIRM = reverse("network:quick-add-confirm")
LINE = "Ana Ruiz, PM at Acme, met at PyCon 2024, ana@acme.com"


def add(user, name="Ana Ruiz", **values):
    return services.person_create(user=user, full_name=name, **values)


def people(user):
    return list(Person.objects.for_user(user).order_by("pk").values_list("full_name", flat=True))


def test_the_header_shortcut_leads_to_quick_add(owner_client):
    response = owner_client.get(reverse("core:quick-add"))
    assert response.status_code == 302
    assert response["Location"] == QUICK_ADD


def test_the_page_has_one_box_and_links_from_the_network_pages(owner_client):
    html = owner_client.get(QUICK_ADD).content.decode()
    assert 'name="line"' in html
    assert "Ana Ruiz, PM at Acme" in html  # the example
    people_page = owner_client.get(reverse("network:people")).content.decode()
    assert f'href="{QUICK_ADD}"' in people_page


def test_reading_a_line_shows_what_it_understood_and_writes_nothing(owner_client, owner):
    response = owner_client.post(QUICK_ADD, {"line": LINE})
    assert response.status_code == 200
    html = response.content.decode()
    for part in ("What Cairn understood", "Ana Ruiz", "PM at Acme", "new organisation"):
        assert part in html
    assert "Met at PyCon 2024" in html
    assert "ana@acme.com" in html
    assert f'action="{CONFIRM}"' in html
    assert "Add Ana Ruiz" in html
    assert people(owner) == []
    assert not Organisation.objects.exists()


def test_an_organisation_already_there_is_named_as_such(owner_client, owner):
    acme = services.organisation_create(user=owner, name="Acme")
    html = owner_client.post(QUICK_ADD, {"line": LINE}).content.decode()
    assert reverse("network:organisation-detail", args=[acme.pk]) in html
    assert "already listed" in html
    assert "new organisation" not in html


def test_the_introducer_and_the_warnings_are_shown(owner_client, owner):
    bo = add(owner, "Bo Li")
    html = owner_client.post(QUICK_ADD, {"line": "Ana Ruiz via Bo Li"}).content.decode()
    assert "Introduced by" in html
    assert reverse("network:person-detail", args=[bo.pk]) in html

    html = owner_client.post(QUICK_ADD, {"line": "Cy Dee via Nobody Known"}).content.decode()
    assert "Check this" in html
    assert "No one called “Nobody Known”" in html


def test_with_htmx_the_preview_comes_back_in_place(owner_client):
    response = owner_client.post(QUICK_ADD, {"line": LINE}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="quick-add"' in html
    assert "What Cairn understood" in html


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("ana@acme.com", "No name found"),
        ("A" * 1001, "at most 1000 characters"),
    ],
)
def test_a_line_it_cannot_use_is_refused_on_the_box(owner_client, owner, line, message):
    response = owner_client.post(QUICK_ADD, {"line": line})
    assert response.status_code == 400
    assert message in response.context["form"].errors["line"][0]
    assert "What Cairn understood" not in response.content.decode()
    # With htmx the same refusal is swapped in (a 4xx would not be).
    response = owner_client.post(QUICK_ADD, {"line": line}, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert people(owner) == []


def test_confirming_creates_the_person_with_their_role_and_goes_to_their_page(owner_client, owner):
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "create"})
    assert response.status_code == 303
    ana = Person.objects.for_user(owner).get()
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    role = Role.objects.get(person=ana)
    assert (role.title, role.organisation.name) == ("PM", "Acme")
    assert ana.contact_points.get().value == "ana@acme.com"
    page = owner_client.get(response["Location"]).content.decode()
    assert "Ana Ruiz is in your network." in page


def test_confirming_with_htmx_is_told_where_to_go(owner_client, owner):
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "create"}, **HTMX)
    ana = Person.objects.for_user(owner).get()
    assert response["HX-Redirect"] == reverse("network:person-detail", args=[ana.pk])


def test_possible_duplicates_are_offered_with_their_reason_and_score(owner_client, owner):
    ana = add(owner, "Ana Ruiz", headline="Product at Acme")
    services.person_update(
        user=owner, person=ana, contact_points=[services.ContactInput("email", "ana@acme.com")]
    )
    response = owner_client.post(QUICK_ADD, {"line": LINE})
    html = response.content.decode()
    assert "Already in your network?" in html
    assert "Same email ana@acme.com" in html
    assert "100% alike" in html
    assert "Product at Acme" in html  # enough to recognise them
    assert f'name="merge_into" value="{ana.pk}"' in html
    assert "Someone else: create anyway" in html
    assert "Add Ana Ruiz" not in html


def test_confirming_a_plain_add_when_a_duplicate_exists_shows_it_instead(owner_client, owner):
    add(owner, "Ana Ruiz")
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "create"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "may be this person" in html
    assert "Merge instead" in html
    assert people(owner) == ["Ana Ruiz"]


def test_create_anyway_adds_a_second_person(owner_client, owner):
    add(owner, "Ana Ruiz")
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "anyway"})
    assert response.status_code == 303
    assert people(owner) == ["Ana Ruiz", "Ana Ruiz"]


def test_merge_instead_adds_to_the_existing_person_and_can_be_undone(owner_client, owner):
    ana = add(owner, "Ana Ruiz")
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "merge", "merge_into": ana.pk})
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    assert Role.objects.get().person == ana
    record = MergeRecord.objects.get()

    html = owner_client.get(response["Location"]).content.decode()
    assert "Added what you typed to Ana Ruiz." in html
    undo = reverse("network:merge-undo", args=[record.pk])
    assert f'action="{undo}"' in html
    owner_client.post(undo)
    assert not Role.objects.filter(person=ana).exists()


def test_merging_needs_someone_to_merge_into(owner_client, owner):
    add(owner, "Ana Ruiz")
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "merge"})
    assert response.status_code == 400
    assert response.context["form"].errors["merge_into"] == ["Choose the person to merge into."]
    assert "Choose the person to merge into." in response.content.decode()
    assert people(owner) == ["Ana Ruiz"]


def test_an_unknown_decision_is_refused_by_name(owner_client, owner):
    response = owner_client.post(CONFIRM, {"line": LINE, "decision": "shrug"})
    assert response.status_code == 400
    assert "decision" in response.context["form"].errors
    assert people(owner) == []


def test_a_stranger_cannot_merge_into_the_owners_person(owner, stranger_client, stranger):
    ana = add(owner, "Ana Ruiz")
    response = stranger_client.post(
        CONFIRM, {"line": LINE, "decision": "merge", "merge_into": ana.pk}
    )
    assert response.status_code == 400
    assert f"there is no person #{ana.pk}" in response.content.decode()
    assert people(stranger) == []
    assert not MergeRecord.objects.exists()
    assert not Role.objects.exists()


def test_the_owners_people_are_never_offered_to_a_stranger(owner, stranger_client, stranger):
    ana = add(owner, "Ana Ruiz", headline="Owner's Ana")
    services.organisation_create(user=owner, name="Acme")
    html = stranger_client.post(QUICK_ADD, {"line": LINE}).content.decode()
    assert "Already in your network?" not in html
    assert "Owner's Ana" not in html
    assert reverse("network:person-detail", args=[ana.pk]) not in html
    assert "new organisation" in html  # the owner's Acme is not the stranger's


def test_reading_a_line_needs_a_login(client):
    response = client.post(QUICK_ADD, {"line": LINE})
    assert response.status_code == 302
    assert "login" in response["Location"]
