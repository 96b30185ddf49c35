"""Network search: documents kept in step by every service, `cairn reindex`, and the search view."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse

from cairn.core import search
from cairn.network import search as network_search
from cairn.network import services
from cairn.network.models import Person
from cairn.network.services import ContactInput

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
HTMX = {"HTTP_HX_REQUEST": "true"}


def add(user, name="Ana Ruiz", **values):
    return services.person_create(user=user, full_name=name, today=TODAY, **values)


def log(user, people, summary="Coffee", **values):
    return services.interaction_log(
        user=user, people=people, summary=summary, occurred_on=TODAY, today=TODAY, **values
    )


def titles(user, text, kind=None):
    return [hit.title for hit in search.query(user, text, kinds=[kind] if kind else None)]


# ---------------------------------------------------------------- kept in step by the services


def test_a_person_is_found_by_everything_the_issue_lists(owner):
    ana = add(
        owner,
        headline="Designs hospital software",
        location="Valencia",
        notes="Loves *sourdough*.",
        how_met="Sat next to each other at a workshop",
        met_at="PyCon Lisbon",
        contact_points=[ContactInput("email", "ana.ruiz@example.com")],
        circles=["Ex-colleagues"],
        fields=["Product management"],
    )
    services.role_add(
        user=owner, person=ana, title="Product Lead",
        organisation=services.organisation_create(user=owner, name="Acme Health"),
    )  # fmt: skip
    services.role_add(
        user=owner, person=ana, title="Analyst", ended_on=date(2020, 1, 1),
        organisation=services.organisation_create(user=owner, name="Globex"),
    )  # fmt: skip
    for text in [
        "ana ru", "ana.ruiz@example", "hospital", "valencia", "sourdough", "workshop",
        "lisbon", "product lead", "acme", "analyst", "globex", "ex colleagues", "management",
    ]:  # fmt: skip
        assert titles(owner, text, "person") == ["Ana Ruiz"], text
    (hit,) = search.query(owner, "ana", kinds=["person"])
    assert hit.url == reverse("network:person-detail", args=[ana.pk])
    assert hit.data == {"subtitle": "Designs hospital software", "archived": False}


def test_an_edit_replaces_what_the_person_was_found_by(owner):
    ana = add(owner, headline="Nurse")
    log(owner, [ana], "Coffee in town")
    services.person_update(user=owner, person=ana, full_name="Ana Ruiz-Vidal", headline="Doctor")
    assert titles(owner, "nurse") == []
    assert titles(owner, "doctor") == ["Ana Ruiz-Vidal"]
    # Their interactions are found by the new name too.
    assert titles(owner, "vidal", "interaction") == ["Coffee in town"]


def test_organisations_are_found_and_their_people_follow_a_rename(owner):
    acme = services.organisation_create(
        user=owner, name="Acme", domain="acme.example", industry="Robotics", location="Lyon"
    )
    ana = add(owner)
    services.role_add(user=owner, person=ana, organisation=acme, title="Engineer")
    assert titles(owner, "robotics") == ["Acme"]
    (hit,) = search.query(owner, "acme", kinds=["organisation"])
    assert hit.url == reverse("network:organisation-detail", args=[acme.pk])
    assert hit.data["subtitle"] == "Robotics · Lyon"
    services.organisation_update(user=owner, organisation=acme, name="Initech")
    assert titles(owner, "initech", "person") == ["Ana Ruiz"]
    assert titles(owner, "acme", "person") == []
    services.organisation_delete(user=owner, organisation=acme)
    assert titles(owner, "initech") == []


def test_roles_added_changed_and_removed(owner):
    ana = add(owner)
    acme = services.organisation_create(user=owner, name="Acme")
    role = services.role_add(user=owner, person=ana, organisation=acme, title="Designer")
    assert titles(owner, "designer") == ["Ana Ruiz"]
    services.role_update(user=owner, role=role, title="Architect")
    assert titles(owner, "designer") == []
    assert titles(owner, "architect") == ["Ana Ruiz"]
    services.role_delete(user=owner, role=role)
    assert titles(owner, "architect") == []


def test_interactions_are_found_by_summary_notes_and_people(owner):
    ana, bea = add(owner), add(owner, "Bea López")
    coffee = log(owner, [ana, bea], "Coffee about roles", notes="She mentioned *Initech*.")
    assert titles(owner, "coffee roles") == ["Coffee about roles"]
    assert titles(owner, "initech") == ["Coffee about roles"]
    assert titles(owner, "bea lopez", "interaction") == ["Coffee about roles"]
    (hit,) = search.query(owner, "initech")
    # Linked on the page of the first of its people (by family name).
    assert hit.url == reverse("network:person-detail", args=[bea.pk]) + f"#interaction-{coffee.pk}"
    assert hit.data["subtitle"] == "Message with Bea López, Ana Ruiz · 25 Nov 2026"
    services.interaction_update(user=owner, interaction=coffee, summary="Lunch", people=[bea])
    assert titles(owner, "coffee") == []
    assert titles(owner, "ana", "interaction") == []
    assert titles(owner, "lunch") == ["Lunch"]
    services.interaction_delete(user=owner, interaction=coffee)
    assert titles(owner, "lunch") == []


def test_a_binned_person_leaves_the_index_and_comes_back_when_restored(owner):
    ana, bea = add(owner), add(owner, "Bea Lopez")
    log(owner, [ana], "Coffee with Ana alone")
    log(owner, [ana, bea], "Dinner together")
    services.person_delete(user=owner, person=ana)
    assert titles(owner, "ruiz") == []
    # An interaction only with people in the bin is shown nowhere, so it is not found either.
    assert titles(owner, "coffee") == []
    assert titles(owner, "dinner") == ["Dinner together"]
    services.person_restore(user=owner, person=ana)
    assert sorted(titles(owner, "ruiz")) == ["Ana Ruiz", "Coffee with Ana alone", "Dinner together"]


def test_archived_people_are_still_found_and_flagged(owner):
    ana = add(owner)
    services.people_archive(user=owner, person_ids=[ana.pk])
    (hit,) = search.query(owner, "ana")
    assert hit.data["archived"] is True
    services.people_archive(user=owner, person_ids=[ana.pk], archived=False)
    assert search.query(owner, "ana")[0].data["archived"] is False


def test_a_merge_moves_what_the_absorbed_was_found_by_and_undo_moves_it_back(owner):
    ana = add(owner, contact_points=[ContactInput("email", "ana@work.example")])
    twin = add(owner, "Ana R.", contact_points=[ContactInput("email", "ana@home.example")])
    log(owner, [twin], "Coffee with the twin")
    record = services.person_merge(user=owner, survivor=ana, absorbed=twin)
    assert titles(owner, "ana", "person") == ["Ana Ruiz"]
    assert titles(owner, "home example") == ["Ana Ruiz"]
    assert titles(owner, "ruiz", "interaction") == ["Coffee with the twin"]
    services.merge_undo(user=owner, record=record)
    assert sorted(titles(owner, "ana", "person")) == ["Ana R.", "Ana Ruiz"]
    assert titles(owner, "home example") == ["Ana R."]
    assert titles(owner, "ruiz", "interaction") == []


def test_syncing_ignores_what_belongs_to_someone_else(owner, stranger):
    theirs = add(stranger, "Sam Secret")
    network_search.sync_people(owner, [theirs.pk])
    network_search.sync_interactions(owner, [log(stranger, [theirs]).pk])
    assert search.count(owner.pk) == 0
    assert titles(owner, "sam") == []
    assert titles(stranger, "sam", "person") == ["Sam Secret"]


# ---------------------------------------------------------------- cairn reindex


def test_reindex_rebuilds_an_emptied_index(owner, stranger):
    ana = add(owner, headline="Nurse")
    log(owner, [ana], "Coffee")
    services.organisation_create(user=owner, name="Acme")
    add(stranger, "Sam Stranger")
    search.clear()
    out = StringIO()
    call_command("reindex", user="OWNER@example.com", stdout=out)
    assert "Indexed 3 documents for 1 account" in out.getvalue()
    assert titles(owner, "nurse") == ["Ana Ruiz"]
    assert titles(stranger, "sam") == []
    call_command("reindex", stdout=StringIO())
    assert titles(stranger, "sam") == ["Sam Stranger"]
    assert search.count(owner.pk) == 3
    with pytest.raises(CommandError, match=r"nobody@example\.com"):
        call_command("reindex", user="nobody@example.com", stdout=StringIO())


def test_reindex_reads_the_network_in_a_fixed_number_of_queries(
    owner, django_assert_max_num_queries
):
    def network(size):
        acme = services.organisation_create(user=owner, name=f"Acme {size}")
        for n in range(size):
            person = add(owner, f"Person {size} {n}", circles=["Friends"])
            services.role_add(user=owner, person=person, organisation=acme, title="Engineer")
            log(owner, [person], f"Call {n}")

    network(3)
    with django_assert_max_num_queries(40) as small:
        search.rebuild(owner)
    network(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        search.rebuild(owner)
    assert search.count(owner.pk, "person") == 33


# ---------------------------------------------------------------- the search view


def test_the_search_page_lists_results_of_every_kind(owner_client, owner):
    ana = add(owner, headline="Designs hospital software")
    services.organisation_create(user=owner, name="Ana Health")
    log(owner, [ana], "Coffee with Ana")
    response = owner_client.get(reverse("core:search"), {"q": "ana"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert f'href="{reverse("network:person-detail", args=[ana.pk])}"' in html
    assert [group.kind.label for group in response.context["groups"]] == [
        "People", "Organisations", "Interactions",
    ]  # fmt: skip
    # What the page shows for them (core/search.html includes this partial).
    names = ("query", "groups", "suggestions", "per_kind")
    html = render_to_string("core/search_results.html", {n: response.context[n] for n in names})
    assert html.index("People") < html.index("Organisations") < html.index("Interactions")
    assert "<mark>Ana</mark> Ruiz" in html
    assert "Designs hospital software" in html


def test_typing_in_the_search_box_gets_a_few_suggestions(owner_client, owner):
    for n in range(12):
        add(owner, f"Ana Number{n}")
    response = owner_client.get(reverse("core:search"), {"q": "ana"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert html.count('class="result result-person"') == 8
    assert f"{reverse('core:search')}?q=ana" in html  # all results, on the page
    empty = owner_client.get(reverse("core:search"), {"q": ""}, **HTMX).content.decode()
    assert "<li" not in empty  # nothing to show: the suggestions box stays closed


def test_nothing_found_says_so(owner_client):
    html = owner_client.get(reverse("core:search"), {"q": "zebra"}, **HTMX).content.decode()
    assert "Nothing matches “zebra”" in html


def test_a_stranger_never_sees_the_owners_network(owner, stranger_client):
    ana = add(owner, notes="Secret plans")
    log(owner, [ana], "Secret coffee")
    for headers in ({}, HTMX):
        html = stranger_client.get(reverse("core:search"), {"q": "secret"}, **headers)
        text = html.content.decode()
        assert "Ana Ruiz" not in text and "Secret coffee" not in text
        assert "Nothing matches" in text


def test_search_needs_an_account(client):
    response = client.get(reverse("core:search"), {"q": "ana"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_hostile_queries_are_shown_as_text(owner_client, owner):
    add(owner, '<script>alert("x")</script> Ana')
    for text in ['<script>alert("x")</script>', '" OR 1=1 --', "ana*) NEAR(", "\\"]:
        for headers in ({}, HTMX):
            response = owner_client.get(reverse("core:search"), {"q": text}, **headers)
            assert response.status_code == 200
            assert "<script>alert" not in response.content.decode()


def test_an_archived_person_is_marked_in_the_results(owner_client, owner):
    ana = add(owner)
    services.people_archive(user=owner, person_ids=[ana.pk])
    html = owner_client.get(reverse("core:search"), {"q": "ana"}, **HTMX).content.decode()
    assert "(archived)" in html


def test_people_in_the_bin_are_never_listed(owner_client, owner):
    ana = add(owner)
    services.person_delete(user=owner, person=ana)
    assert Person.objects.filter(pk=ana.pk).exists()
    html = owner_client.get(reverse("core:search"), {"q": "ana"}).content.decode()
    assert "Ana Ruiz" not in html
