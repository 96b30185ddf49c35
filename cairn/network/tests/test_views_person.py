from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.network import services
from cairn.network.models import Favour, Interaction, LifeEvent, Organisation, Role
from cairn.network.services import ContactInput

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def today_for(user):
    return timezone.localdate(timezone=user.zone)


def add(user, name="Ana Ruiz", **values):
    return services.person_create(user=user, full_name=name, **values)


def page(client, person):
    return client.get(reverse("network:person-detail", args=[person.pk])).content.decode()


def test_the_page_shows_everything_known_about_them(owner_client, owner):
    today = today_for(owner)
    acme = services.organisation_create(user=owner, name="Acme")
    carla = add(owner, "Carla Diaz")
    bea = add(owner, "Bea Lopez", introduced_by=carla)
    ana = add(
        owner,
        pronouns="she/her",
        headline="Designs hospital software",
        contact_points=[
            ContactInput("email", "ana@example.com"),
            ContactInput("phone", "+34 612 34 56 78"),
            ContactInput("link", "https://www.linkedin.com/in/ana-ruiz/"),
        ],
        circles=["Ex-colleagues"],
        fields=["Health tech"],
        strength=4,
        cadence_days=60,
        do_not_contact=True,
        introduced_by=bea,
    )
    add(owner, "Dan Kim", introduced_by=ana)
    services.role_add(user=owner, person=ana, organisation=acme, title="Design lead")
    services.interaction_log(
        user=owner, people=[ana], summary="Lunch", occurred_on=today - timedelta(days=70)
    )
    services.favour_add(user=owner, person=ana, direction="given", description="Read her CV")

    html = page(owner_client, ana)

    assert "(she/her)" in html
    assert "Designs hospital software" in html
    assert "Design lead at" in html and "Acme" in html
    assert 'href="mailto:ana@example.com"' in html
    assert 'href="tel:+34612345678"' in html
    assert 'href="https://linkedin.com/in/ana-ruiz"' in html
    assert "Ex-colleagues" in html and "Health tech" in html
    assert 'aria-label="Strength 4 of 5"' in html
    assert "Every 2 months" in html
    assert "10 days overdue" in html
    assert "70 days ago" in html
    assert "Do not contact." in html
    assert "1 given" in html and "0 received" in html
    assert "Introduced by" in html and "Bea Lopez" in html and "Carla Diaz" in html
    assert "introduced you to" in html and "Dan Kim" in html


def test_notes_are_markdown_without_scripts(owner_client, owner):
    ana = add(
        owner,
        notes="Loves **maps**.\n\n<script>alert(1)</script> [site](javascript:alert(1))"
        " [ok](https://example.com)",
    )
    html = page(owner_client, ana)
    assert "<strong>maps</strong>" in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html
    assert 'href="https://example.com" rel="noopener noreferrer nofollow"' in html


def test_one_timeline_holds_interactions_favours_news_and_roles(owner_client, owner):
    today = today_for(owner)
    ana = add(owner)
    acme = services.organisation_create(user=owner, name="Acme")
    services.interaction_log(user=owner, people=[ana], summary="Coffee about her move")
    services.favour_add(user=owner, person=ana, direction="received", description="An intro")
    services.life_event_add(user=owner, person=ana, kind="award", occurred_on=today)
    services.role_add(
        user=owner,
        person=ana,
        organisation=acme,
        title="Designer",
        started_on=today - timedelta(days=800),
        ended_on=today - timedelta(days=30),
    )
    html = page(owner_client, ana)
    assert "Coffee about her move" in html
    assert "They helped" in html and "An intro" in html
    assert "Award" in html and "I congratulated them" in html
    assert "Started" in html and "Left" in html


def log(client, person, htmx=False, **data):
    values = {"summary": "Coffee", "kind": "coffee", "direction": "outgoing", **data}
    values.setdefault("occurred_on", "")
    headers = HTMX if htmx else {}
    return client.post(reverse("network:interaction-log", args=[person.pk]), values, **headers)


def test_logging_with_a_plain_post_redirects_to_the_page(owner_client, owner):
    ana = add(owner, cadence_days=30)
    response = log(owner_client, ana, occurred_on=today_for(owner).isoformat())
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[ana.pk])
    ana.refresh_from_db()
    assert ana.last_contact_on == today_for(owner)
    assert ana.next_due_on == today_for(owner) + timedelta(days=30)


def test_logging_with_htmx_swaps_the_form_and_updates_the_timeline_and_dates(owner_client, owner):
    ana = add(owner, cadence_days=30)
    response = log(owner_client, ana, htmx=True, summary="Called about the conference")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="log"' in html and "Logged." in html
    assert 'id="timeline" aria-labelledby="timeline-heading" hx-swap-oob="true"' in html
    assert 'id="person-head" hx-swap-oob="true"' in html
    assert "Called about the conference" in html
    assert "Due in 30 days" in html
    # The fresh form is ready for the next one.
    assert "autofocus" in html
    assert Interaction.objects.get().occurred_on == today_for(owner)


def test_a_future_interaction_is_refused_on_its_date(owner_client, owner):
    ana = add(owner)
    future = (today_for(owner) + timedelta(days=5)).isoformat()
    response = log(owner_client, ana, occurred_on=future)
    assert response.status_code == 400
    assert "is in the future" in response.context["log_form"].errors["occurred_on"][0]
    response = log(owner_client, ana, htmx=True, occurred_on=future)
    assert response.status_code == 200
    html = response.content.decode()
    assert "is in the future" in html
    assert "hx-swap-oob" not in html
    assert not Interaction.objects.exists()


def test_an_interaction_needs_a_summary(owner_client, owner):
    ana = add(owner)
    response = log(owner_client, ana, summary="")
    assert response.status_code == 400
    assert response.context["log_form"].errors["summary"]


def test_adding_a_favour_both_ways(owner_client, owner):
    ana = add(owner)
    url = reverse("network:favour-add", args=[ana.pk])
    today = today_for(owner).isoformat()
    data = {"direction": "given", "description": "Reviewed her portfolio", "occurred_on": today}
    assert owner_client.post(url, data).status_code == 303
    response = owner_client.post(url, {**data, "direction": "received"}, **HTMX)
    html = response.content.decode()
    assert 'id="favours"' in html and "Noted." in html
    assert "1 given" in html and "1 received" in html
    assert Favour.objects.count() == 2


def test_a_favour_in_the_future_is_refused(owner_client, owner):
    ana = add(owner)
    future = (today_for(owner) + timedelta(days=3)).isoformat()
    response = owner_client.post(
        reverse("network:favour-add", args=[ana.pk]),
        {"direction": "given", "description": "Something", "occurred_on": future},
    )
    assert response.status_code == 400
    assert response.context["favour_form"].errors["occurred_on"]
    assert not Favour.objects.exists()


def test_news_can_be_added_and_congratulated(owner_client, owner):
    ana = add(owner)
    response = owner_client.post(
        reverse("network:event-add", args=[ana.pk]),
        {"kind": "promotion", "occurred_on": today_for(owner).isoformat(), "note": "Director"},
        **HTMX,
    )
    assert "Added to the timeline." in response.content.decode()
    event = LifeEvent.objects.get()
    url = reverse("network:event-congratulate", args=[event.pk])
    assert owner_client.post(url).status_code == 303
    event.refresh_from_db()
    assert event.congratulated
    html = owner_client.post(url, **HTMX).content.decode()
    assert html.lstrip().startswith('<section class="card" id="timeline"')
    assert "Congratulated ✓" in html


def test_news_cannot_be_in_the_future_but_a_birthday_can(owner_client, owner):
    ana = add(owner)
    url = reverse("network:event-add", args=[ana.pk])
    ahead = (today_for(owner) + timedelta(days=20)).isoformat()
    response = owner_client.post(url, {"kind": "new_job", "occurred_on": ahead})
    assert response.status_code == 400
    assert "is in the future" in response.context["event_form"].errors["occurred_on"][0]
    assert owner_client.post(url, {"kind": "birthday", "occurred_on": ahead}).status_code == 303


def test_a_follow_up_is_marked_done(owner_client, owner):
    ana, bea = add(owner), add(owner, "Bea Lopez")
    interaction = services.interaction_log(
        user=owner, people=[ana, bea], summary="Intro call", follow_up_on=today_for(owner)
    )
    assert "Done" in page(owner_client, bea)
    url = reverse("network:follow-up-done", args=[interaction.pk])
    response = owner_client.post(url, {"person": bea.pk})
    assert response.status_code == 303
    assert response["Location"] == reverse("network:person-detail", args=[bea.pk])
    interaction.refresh_from_db()
    assert interaction.follow_up_done
    html = owner_client.post(url, {"person": ana.pk}, **HTMX).content.decode()
    assert "Followed up ✓" in html and "<html" not in html


def test_a_role_is_added_with_its_organisation(owner_client, owner):
    ana = add(owner)
    url = reverse("network:role-add", args=[ana.pk])
    response = owner_client.post(url, {"organisation": "Acme", "title": "PM"})
    assert response.status_code == 303
    role = Role.objects.get()
    assert (role.organisation.name, role.title, role.is_current) == ("Acme", "PM", True)
    html = owner_client.post(
        url, {"organisation": "acme", "title": "Mentor", "started_on": "2019-01-01"}, **HTMX
    ).content.decode()
    assert 'id="work"' in html and "Mentor at" in html
    assert Organisation.objects.count() == 1  # "acme" is the same organisation


def test_a_role_that_ends_before_it_starts_is_refused_and_leaves_nothing(owner_client, owner):
    ana = add(owner)
    response = owner_client.post(
        reverse("network:role-add", args=[ana.pk]),
        {"organisation": "Brand New Ltd", "started_on": "2024-05-01", "ended_on": "2023-01-01"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.context["role_form"].errors["ended_on"][0]
    assert not Role.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("count", [2, 30])
def test_the_page_costs_the_same_however_long_the_history(
    owner_client, owner, count, django_assert_max_num_queries
):
    ana, bea = add(owner), add(owner, "Bea Lopez")
    for n in range(count):
        organisation = services.organisation_create(user=owner, name=f"Org {n}")
        services.role_add(user=owner, person=ana, organisation=organisation, title="Advisor")
        services.interaction_log(
            user=owner, people=[ana, bea], organisation=organisation, summary=f"Call {n}"
        )
        services.favour_add(user=owner, person=ana, direction="given", description="Help")
        services.life_event_add(user=owner, person=ana, kind="award", occurred_on=today_for(owner))
        known = add(owner, f"Known {n}")
        services.link_add(user=owner, from_person=known, to_person=ana, kind="friend")
    # Session, user, the person, roles, contact points, circles, fields, the timeline's four
    # sources and its people, the balance, whom they introduced, whom they know: none grows
    # with the history.
    with django_assert_max_num_queries(15):
        response = owner_client.get(reverse("network:person-detail", args=[ana.pk]))
    assert response.content.decode().count("Call ") >= count
