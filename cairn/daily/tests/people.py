"""People for Today's tests: each talked to long ago, so each is due for a conversation."""

from datetime import timedelta

from django.utils import timezone

from cairn.network import services as network


def due_people(owner, count, *, today=None, days_ago=60, spread=50):
    """`count` people with a 30-day rhythm, last seen `days_ago` + (n mod `spread`) days ago."""
    today = today or timezone.localdate(timezone=owner.zone)
    people = []
    for n in range(count):
        person = network.person_create(
            user=owner, full_name=f"Person {n:03}", cadence_days=30, strength=n % 6,
            today=today - timedelta(days=400),
        )  # fmt: skip
        network.interaction_log(
            user=owner, people=[person], summary="Lunch",
            occurred_on=today - timedelta(days=days_ago + n % spread), today=today,
        )  # fmt: skip
        people.append(person)
    return people
