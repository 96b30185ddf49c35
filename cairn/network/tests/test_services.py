from datetime import date, timedelta

import pytest

from cairn.core.errors import DomainError
from cairn.network import services
from cairn.network.models import ContactPoint, Interaction, Person, Role
from cairn.network.services import ContactInput

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def person(user, name="Ana Ruiz", **values):
    return services.person_create(user=user, full_name=name, today=TODAY, **values)


def test_it_creates_a_person_with_contacts_circles_and_fields(owner):
    ana = person(
        owner,
        contact_points=[
            ContactInput("email", "Ana@Example.com", "work"),
            ContactInput("phone", "+34 612 34 56 78"),
            ContactInput("link", "https://www.linkedin.com/in/ana-ruiz/"),
        ],
        circles=["Ex-colleagues", "ex-colleagues", "Mentors"],
        fields=["Product management"],
        strength=4,
        cadence_days=60,
    )
    assert (ana.given_name, ana.family_name) == ("Ana", "Ruiz")
    assert sorted(c.name for c in ana.circles.all()) == ["Ex-colleagues", "Mentors"]
    points = {p.kind: p.normalized for p in ana.contact_points.all()}
    assert points == {
        "email": "ana@example.com",
        "phone": "+34612345678",
        "link": "https://linkedin.com/in/ana-ruiz",
    }
    # Never contacted: due one cadence after being added, not at once.
    assert ana.next_due_on is not None and ana.last_contact_on is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"strength": 6}, "strength"),
        ({"cadence_days": 0}, "cadence_days"),
        ({"met_on": TODAY + timedelta(days=10)}, "met_on"),
        ({"contact_points": [ContactInput("email", "nope")]}, "emails"),
        ({"contact_points": [ContactInput("phone", "12")]}, "phones"),
        ({"contact_points": [ContactInput("link", "ftp://x")]}, "links"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(owner, values, field):
    with pytest.raises(DomainError) as caught:
        person(owner, **values)
    assert caught.value.field == field
    assert field in caught.value.message
    assert not Person.objects.exists()
    assert not ContactPoint.objects.exists()


def test_an_introduction_loop_is_refused(owner):
    a = person(owner, "Alex A")
    b = person(owner, "Blair B", introduced_by=a)
    c = person(owner, "Casey C", introduced_by=b)
    with pytest.raises(DomainError) as caught:
        services.person_update(user=owner, person=a, introduced_by=c)
    assert caught.value.field == "introduced_by"
    with pytest.raises(DomainError):
        services.person_update(user=owner, person=a, introduced_by=a)


def test_logging_an_interaction_resets_the_cadence(owner):
    ana = person(owner, cadence_days=30)
    services.interaction_log(
        user=owner,
        people=[ana],
        summary="Coffee",
        kind="coffee",
        occurred_on=date(2026, 11, 1),
        today=TODAY,
    )
    ana.refresh_from_db()
    assert ana.last_contact_on == date(2026, 11, 1)
    assert ana.next_due_on == date(2026, 12, 1)
    # An older interaction does not move the last contact back.
    services.interaction_log(
        user=owner, people=[ana], summary="Email", occurred_on=date(2026, 1, 1), today=TODAY
    )
    ana.refresh_from_db()
    assert ana.last_contact_on == date(2026, 11, 1)


def test_deleting_the_latest_interaction_recomputes_last_contact(owner):
    ana = person(owner, cadence_days=30)
    old = services.interaction_log(
        user=owner, people=[ana], summary="a", occurred_on=date(2026, 1, 1), today=TODAY
    )
    new = services.interaction_log(
        user=owner, people=[ana], summary="b", occurred_on=date(2026, 6, 1), today=TODAY
    )
    services.interaction_delete(user=owner, interaction=new)
    ana.refresh_from_db()
    assert ana.last_contact_on == old.occurred_on


def test_interactions_cannot_be_in_the_future_or_with_nobody(owner):
    ana = person(owner)
    with pytest.raises(DomainError) as caught:
        services.interaction_log(
            user=owner,
            people=[ana],
            summary="x",
            occurred_on=TODAY + timedelta(days=5),
            today=TODAY,
        )
    assert caught.value.field == "occurred_on"
    with pytest.raises(DomainError):
        services.interaction_log(user=owner, people=[], summary="x", today=TODAY)


def test_another_users_person_cannot_be_used(owner, stranger):
    theirs = person(stranger, "Their Contact")
    with pytest.raises(DomainError):
        services.interaction_log(user=owner, people=[theirs], summary="x", today=TODAY)
    mine = person(owner)
    with pytest.raises(DomainError):
        services.person_update(user=owner, person=mine, introduced_by=theirs)


def test_a_role_cannot_end_before_it_starts(owner):
    ana = person(owner)
    acme = services.organisation_get_or_create(user=owner, name="Acme")
    assert services.organisation_get_or_create(user=owner, name="ACME") == acme
    with pytest.raises(DomainError) as caught:
        services.role_add(
            user=owner,
            person=ana,
            organisation=acme,
            started_on=date(2024, 1, 1),
            ended_on=date(2023, 1, 1),
        )
    assert caught.value.field == "ended_on"
    role = services.role_add(
        user=owner, person=ana, organisation=acme, title="PM", ended_on=date(2025, 1, 1)
    )
    assert role.is_current is False


def test_merge_moves_everything_and_undo_puts_it_back(owner):
    ana = person(
        owner,
        "Ana Ruiz",
        contact_points=[ContactInput("email", "ana@example.com")],
        circles=["Friends"],
    )
    dup = person(
        owner,
        "Ana R.",
        headline="PM",
        contact_points=[ContactInput("email", "ana.r@example.com")],
        circles=["PyCon"],
    )
    acme = services.organisation_get_or_create(user=owner, name="Acme")
    services.role_add(user=owner, person=dup, organisation=acme, title="PM")
    both = services.interaction_log(
        user=owner, people=[ana, dup], summary="Lunch", occurred_on=date(2026, 2, 1), today=TODAY
    )
    only_dup = services.interaction_log(
        user=owner, people=[dup], summary="Call", occurred_on=date(2026, 3, 1), today=TODAY
    )
    services.favour_add(user=owner, person=dup, direction="given", description="Intro to Bo")
    friend = person(owner, "Friend F", introduced_by=dup)

    record = services.person_merge(user=owner, survivor=ana, absorbed=dup)
    ana.refresh_from_db()
    assert ana.headline == "PM"
    assert ana.contact_points.count() == 2
    assert Role.objects.get().person == ana
    assert set(ana.interactions.all()) == {both, only_dup}
    assert ana.favours.count() == 1
    assert {c.name for c in ana.circles.all()} == {"Friends", "PyCon"}
    friend.refresh_from_db()
    assert friend.introduced_by == ana
    assert ana.last_contact_on == date(2026, 3, 1)
    dup.refresh_from_db()
    assert dup.deleted_at is not None

    services.merge_undo(user=owner, record=record)
    ana.refresh_from_db()
    dup.refresh_from_db()
    assert dup.deleted_at is None
    assert ana.headline == ""
    assert [p.value for p in ana.contact_points.all()] == ["ana@example.com"]
    assert [p.value for p in dup.contact_points.all()] == ["ana.r@example.com"]
    assert Role.objects.get().person == dup
    assert set(Interaction.objects.filter(people=dup)) == {both, only_dup}
    assert set(Interaction.objects.filter(people=ana)) == {both}
    assert {c.name for c in ana.circles.all()} == {"Friends"}
    friend.refresh_from_db()
    assert friend.introduced_by == dup
    assert ana.last_contact_on == date(2026, 2, 1)
    with pytest.raises(DomainError):
        services.merge_undo(user=owner, record=record)


def test_the_bin_keeps_people_for_a_while(owner):
    from django.utils import timezone

    ana = person(owner)
    services.person_delete(user=owner, person=ana, now=timezone.now() - timedelta(days=31))
    bo = person(owner, "Bo Berg")
    services.person_delete(user=owner, person=bo)
    assert services.bin_purge(now=timezone.now()) >= 1
    assert not Person.objects.filter(pk=ana.pk).exists()
    services.person_restore(user=owner, person=bo)
    bo.refresh_from_db()
    assert bo.deleted_at is None


def test_bulk_archive_and_tag_touch_only_the_users_people(owner, stranger):
    mine = person(owner)
    theirs = person(stranger, "Not Yours")
    assert services.people_archive(user=owner, person_ids=[mine.pk, theirs.pk]) == 1
    assert (
        services.people_tag(user=owner, person_ids=[mine.pk, theirs.pk], circle="Neighbours") == 1
    )
    theirs.refresh_from_db()
    assert theirs.archived_at is None
    assert not theirs.circles.exists()


def test_people_in_the_bin_take_part_in_nothing(owner):
    gone = person(owner, "Gone Person")
    services.person_delete(user=owner, person=gone)
    with pytest.raises(DomainError) as caught:
        services.interaction_log(user=owner, people=[gone], summary="x", today=TODAY)
    assert caught.value.field == "people"
    with pytest.raises(DomainError) as caught:
        person(owner, "New Person", introduced_by=gone)
    assert caught.value.field == "introduced_by"


def test_a_refused_update_leaves_the_object_as_stored(owner):
    ana = person(owner, strength=2)
    with pytest.raises(DomainError):
        services.person_update(user=owner, person=ana, strength=9)
    assert ana.strength == 2


def test_merging_the_person_who_introduced_the_survivor(owner):
    root = person(owner, "Root Person")
    dup = person(owner, "Ana R.", introduced_by=root)
    ana = person(owner, "Ana Ruiz", introduced_by=dup)
    record = services.person_merge(user=owner, survivor=ana, absorbed=dup)
    ana.refresh_from_db()
    assert ana.introduced_by == root
    services.merge_undo(user=owner, record=record)
    ana.refresh_from_db()
    assert ana.introduced_by == dup
