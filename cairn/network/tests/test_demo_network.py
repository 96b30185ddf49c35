"""The demo network: deterministic, shaped like a real network, derived dates right, owned
by the demo user alone."""

import random
import statistics
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db.models import Count, F, Q

from cairn.core import demo
from cairn.core import search as engine
from cairn.network import contacts, services, whoat
from cairn.network import demo as network_demo
from cairn.network.models import (
    CareerField,
    Circle,
    ContactPoint,
    Favour,
    Interaction,
    LifeEvent,
    Link,
    Organisation,
    Person,
    Role,
)

TODAY = date(2026, 3, 2)
WEEK = TODAY + timedelta(days=6)


@pytest.fixture
def filled(owner):
    demo.demo_fill(user=owner, size="small", seed=1, today=TODAY)
    return owner


def network_snapshot(user) -> dict:
    """The user's network with every reference spelled by name, so that two accounts compare
    although their ids differ."""
    people = Person.objects.for_user(user)
    return {
        "people": list(
            people.order_by("pk").values_list(
                "full_name", "sort_name", "headline", "location", "how_met", "met_on", "met_at",
                "strength", "cadence_days", "do_not_contact", "in_rotation", "notes",
                "archived_at", "last_contact_on", "next_due_on", "introduced_by__full_name",
            )
        ),
        "circles": sorted(people.values_list("full_name", "circles__name")),
        "fields": sorted(
            people.filter(fields__isnull=False).values_list("full_name", "fields__name")
        ),
        "organisations": list(
            Organisation.objects.for_user(user)
            .order_by("pk")
            .values_list("name", "domain", "industry", "location", "size", "is_target")
        ),
        "roles": list(
            Role.objects.for_user(user)
            .order_by("pk")
            .values_list("person__full_name", "organisation__name", "title", "started_on",
                         "ended_on", "is_current")
        ),
        "contact_points": list(
            ContactPoint.objects.for_user(user)
            .order_by("pk")
            .values_list("person__full_name", "kind", "value", "normalized", "label")
        ),
        "interactions": list(
            Interaction.objects.for_user(user)
            .order_by("pk")
            .values_list("occurred_on", "occurred_at", "kind", "direction", "organisation__name",
                         "summary", "notes", "follow_up_on", "follow_up_done")
        ),
        "interaction_people": sorted(
            Interaction.people.through.objects.filter(person__owner=user).values_list(
                "interaction__summary", "interaction__occurred_on", "person__full_name"
            )
        ),
        "favours": list(
            Favour.objects.for_user(user)
            .order_by("pk")
            .values_list("person__full_name", "direction", "occurred_on", "description")
        ),
        "events": list(
            LifeEvent.objects.for_user(user)
            .order_by("pk")
            .values_list("person__full_name", "kind", "occurred_on", "note", "congratulated")
        ),
        "links": list(
            Link.objects.for_user(user)
            .order_by("pk")
            .values_list("from_person__full_name", "to_person__full_name", "kind", "note")
        ),
    }  # fmt: skip


# ---------------------------------------------------------------- deterministic


def test_the_same_seed_gives_the_same_network(owner, stranger):
    demo.demo_fill(user=owner, size="small", seed=4, today=TODAY)
    demo.demo_fill(user=stranger, size="small", seed=4, today=TODAY)
    assert network_snapshot(owner) == network_snapshot(stranger)


def test_another_seed_gives_another_network(owner, stranger):
    demo.demo_fill(user=owner, size="small", seed=4, today=TODAY)
    demo.demo_fill(user=stranger, size="small", seed=5, today=TODAY)
    mine, theirs = network_snapshot(owner), network_snapshot(stranger)
    assert mine["people"] != theirs["people"]
    assert mine["interactions"] != theirs["interactions"]


def test_the_plan_depends_on_the_seed_alone():
    size = demo.size_named("quick")
    first = network_demo.plan_network(random.Random(3), size, TODAY)
    second = network_demo.plan_network(random.Random(3), size, TODAY)
    assert first == second


# ---------------------------------------------------------------- sizes


def test_the_counts_follow_the_size(filled):
    size = demo.size_named("small")
    assert Person.objects.for_user(filled).count() == size.people
    assert Organisation.objects.for_user(filled).count() == size.organisations
    assert Interaction.objects.for_user(filled).count() == size.interactions


def test_a_network_plan_has_the_heavy_proportions():
    """The heavy user's shape (20k people: 30k roles, 10k favours, 5k events, 40k links), at a
    tenth of the size so that the test stays quick."""
    size = demo.Size("tenth", people=2000, organisations=300, interactions=20_000, postings=0)
    plan = network_demo.plan_network(random.Random(1), size, TODAY)
    assert len(plan.people) == 2000
    assert len(plan.organisations) == 300
    assert len(plan.interactions) == 20_000
    assert 2700 <= len(plan.roles) <= 3300
    assert len(plan.favours) == 1000
    assert len(plan.events) == 500
    assert len(plan.links) == 4000


# ---------------------------------------------------------------- a realistic shape


def test_a_few_close_contacts_are_seen_often_and_most_people_rarely(filled):
    top = list(
        Person.objects.for_user(filled)
        .annotate(n=Count("interactions"))
        .order_by("-n")
        .values_list("strength", "n")[:5]
    )
    assert all(n >= 15 for _, n in top)
    assert all(strength >= 3 for strength, _ in top)
    per_person = (
        Person.objects.for_user(filled)
        .annotate(n=Count("interactions"))
        .values_list("n", flat=True)
    )
    assert statistics.median(per_person) <= 6
    strengths = Counter(Person.objects.for_user(filled).values_list("strength", flat=True))
    assert 2 <= strengths[5] <= 15
    assert strengths[1] + strengths[2] > 75


def test_some_people_are_overdue_and_some_due_this_week(filled):
    people = Person.objects.for_user(filled)
    assert people.filter(next_due_on__lt=TODAY).count() >= 5
    assert people.filter(next_due_on__range=(TODAY, WEEK)).count() >= 1
    assert people.filter(cadence_days__isnull=True).exists()
    assert people.filter(last_contact_on__isnull=True).exists()  # never contacted


def test_follow_ups_are_due_today_and_this_week(filled):
    open_ = Interaction.objects.for_user(filled).filter(follow_up_done=False)
    due_today = open_.filter(follow_up_on=TODAY)
    assert due_today.exists()
    assert open_.filter(follow_up_on__range=(TODAY, WEEK)).count() >= 2
    assert Interaction.objects.for_user(filled).filter(follow_up_done=True).exists()
    # Each of today's follow-ups is about someone else.
    people = list(due_today.values_list("people", flat=True))
    assert len(people) == len(set(people))


def test_recent_news_waits_to_be_congratulated(filled):
    events = LifeEvent.objects.for_user(filled)
    recent = events.filter(occurred_on__range=(TODAY - timedelta(days=30), TODAY))
    assert recent.filter(congratulated=False).count() >= 3
    assert events.filter(congratulated=True).exists()
    assert len(set(events.values_list("kind", flat=True))) >= 5


def test_favours_go_both_ways(filled):
    directions = Counter(Favour.objects.for_user(filled).values_list("direction", flat=True))
    assert directions["given"] > 10 and directions["received"] > 10


def test_introductions_form_chains(filled):
    introduced = Person.objects.for_user(filled).filter(introduced_by__isnull=False)
    assert introduced.count() >= 5
    assert introduced.filter(introduced_by__introduced_by__isnull=False).exists()
    for person in introduced.select_related("introduced_by"):
        assert person.how_met == f"Introduced by {person.introduced_by.full_name}"


def test_circles_fields_and_links_are_varied(filled):
    circles = dict(
        Circle.objects.for_user(filled).annotate(n=Count("people")).values_list("name", "n")
    )
    for name in ("Ex-colleagues", "Classmates", "Neighbours", "Mentors", "Family"):
        assert circles[name] >= 1, name
    assert CareerField.objects.for_user(filled).filter(people__isnull=False).distinct().count() > 5
    kinds = Counter(Link.objects.for_user(filled).values_list("kind", flat=True))
    assert set(kinds) >= {"worked_with", "reports_to", "friend", "other"}
    assert not Link.objects.for_user(filled).filter(from_person=F("to_person")).exists()


def test_colleagues_overlap_in_time_so_links_can_be_inferred(filled):
    stints = [
        whoat.Stint(p, o, "", "", s, e, c)
        for p, o, s, e, c in Role.objects.for_user(filled).values_list(
            "person_id", "organisation_id", "started_on", "ended_on", "is_current"
        )
    ]
    inferred = whoat.colleague_edges(stints, stints, today=TODAY)
    assert len({(e.a, e.b) for e in inferred}) > 50
    # Every stated "worked with" link is between people who really overlapped somewhere.
    overlapping = {(e.a, e.b) for e in inferred}
    for a, b in (
        Link.objects.for_user(filled)
        .filter(kind="worked_with")
        .values_list("from_person_id", "to_person_id")
    ):
        assert (a, b) in overlapping


def test_contact_points_are_valid_and_normalised_as_the_services_would(filled):
    points = ContactPoint.objects.for_user(filled)
    people = Person.objects.for_user(filled)
    assert people.filter(contact_points__kind="email").distinct().count() == people.count()
    for point in points:
        assert point.normalized == contacts.normalize(point.kind, point.value)
        if point.kind == "email":
            assert point.value.endswith(".example")
        if point.kind == "link":
            assert ".example/" in point.value
        if point.kind == "phone":
            assert point.value == contacts.format_phone(point.normalized)
    kinds = Counter(points.values_list("kind", flat=True))
    assert kinds["phone"] >= 5 and kinds["link"] >= 50
    emails = list(points.filter(kind="email").values_list("normalized", flat=True))
    assert len(emails) == len(set(emails))


def test_nothing_happens_in_the_future_but_birthdays(filled):
    assert not Interaction.objects.for_user(filled).filter(occurred_on__gt=TODAY).exists()
    assert not Favour.objects.for_user(filled).filter(occurred_on__gt=TODAY).exists()
    assert not Person.objects.for_user(filled).filter(met_on__gt=TODAY).exists()
    future = LifeEvent.objects.for_user(filled).filter(occurred_on__gt=TODAY)
    assert set(future.values_list("kind", flat=True)) <= {"birthday"}
    assert not future.filter(congratulated=True).exists()
    assert not Role.objects.for_user(filled).filter(started_on__gt=TODAY).exists()
    assert not Role.objects.for_user(filled).filter(ended_on__lt=F("started_on")).exists()


def test_each_person_has_at_most_one_current_role_and_a_matching_headline(filled):
    current = Counter(
        Role.objects.for_user(filled).filter(is_current=True).values_list("person_id", flat=True)
    )
    assert max(current.values()) == 1
    for role in (
        Role.objects.for_user(filled)
        .filter(is_current=True)
        .select_related("person", "organisation")
    ):
        assert role.person.headline in ("", f"{role.title} at {role.organisation.name}")


# ---------------------------------------------------------------- derived and indexed


def test_derived_dates_are_what_the_services_compute(filled):
    people = Person.objects.for_user(filled)
    before = dict(people.values_list("pk", "last_contact_on"))
    due_before = dict(people.values_list("pk", "next_due_on"))
    services.contact_dates_refresh(user=filled, person_ids=list(before), today=TODAY)
    assert dict(people.values_list("pk", "last_contact_on")) == before
    assert dict(people.values_list("pk", "next_due_on")) == due_before
    assert sum(day is not None for day in before.values()) > 100


def test_the_demo_is_searchable(filled):
    assert engine.count(filled.pk, "person") == Person.objects.for_user(filled).count()
    assert engine.count(filled.pk, "interaction") == 900
    someone = Person.objects.for_user(filled).order_by("pk").first()
    hits = engine.query(filled, someone.full_name, kinds=["person"])
    assert someone.pk in [hit.object_id for hit in hits]


# ---------------------------------------------------------------- ownership


def test_everything_belongs_to_the_demo_user_alone(filled, stranger):
    mine = Person.objects.for_user(filled)
    for model in (Person, Organisation, Role, Interaction, Favour, LifeEvent, Link, Circle,
                  CareerField, ContactPoint):  # fmt: skip
        assert model.objects.exists()
        assert not model.objects.exclude(owner=filled).exists(), model
    assert engine.count(stranger.pk) == 0
    assert engine.count() == engine.count(filled.pk)
    # References never cross to rows of another owner.
    assert (
        not Person.objects.filter(introduced_by__isnull=False)
        .exclude(introduced_by__owner=filled)
        .exists()
    )
    assert not Role.objects.exclude(organisation__owner=filled).exists()
    assert not Link.objects.exclude(from_person__owner=filled, to_person__owner=filled).exists()
    assert (
        not Interaction.objects.filter(organisation__isnull=False)
        .exclude(organisation__owner=filled)
        .exists()
    )
    through = Interaction.people.through.objects
    assert not through.exclude(person__owner=filled, interaction__owner=filled).exists()
    assert not Person.circles.through.objects.exclude(
        person__owner=filled, circle__owner=filled
    ).exists()
    assert not Person.fields.through.objects.exclude(
        person__owner=filled, careerfield__owner=filled
    ).exists()
    assert mine.filter(Q(archived_at__isnull=False)).count() < 10


def test_the_query_planner_has_statistics_after_the_bulk_load(filled):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its own statistics")
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"network_person", "network_interaction", "network_interaction_people"} <= analysed
