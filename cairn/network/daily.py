"""The network's contributions to Today: whom to follow up, keep in touch with, congratulate,
thank, reach in this week's rotation, or help — each with its reason in plain words.

Each provider runs a fixed number of queries on indexed columns, whatever the network's size,
and returns at most LIMIT candidates; the planner picks among them.

A false flag is matched with `__in=[False]`, not `=False`: SQLite reads `flag = False` as
`NOT flag`, which no index can answer, and would scan every interaction of the user's.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import cache

from django.db.models import Count, Prefetch, Q
from django.urls import get_script_prefix, reverse

from cairn.core.errors import DomainError
from cairn.daily.providers import Candidate, handles, register
from cairn.network import selectors, services
from cairn.network.models import Favour, Interaction, LifeEvent, Person

LIMIT = 40
RECENT_EVENT_DAYS = 30
THANK_YOU_DAYS = 2
FRESH_FOLLOW_UP_DAYS = 14
CADENCE_STEPS = (30, 60, 90, 180, 365)
PERSON_KINDS = ("follow_up", "keep_in_touch", "congratulate", "thank_you", "rotation", "give")

EVENT_WORDS = {
    LifeEvent.Kind.NEW_JOB: "started a new job",
    LifeEvent.Kind.PROMOTION: "was promoted",
    LifeEvent.Kind.MOVED: "moved",
    LifeEvent.Kind.PUBLISHED: "published something",
    LifeEvent.Kind.AWARD: "won an award",
    LifeEvent.Kind.BIRTHDAY: "had a birthday",
    LifeEvent.Kind.OTHER: "had news",
}


def _reachable(prefix: str = "") -> Q:
    """People Today may suggest: not binned, not archived, not asked to be left alone."""
    return Q(
        **{
            f"{prefix}deleted_at__isnull": True,
            f"{prefix}archived_at__isnull": True,
            f"{prefix}do_not_contact": False,
        }
    )


def _importance(strength: int) -> float:
    """Stronger relationships matter more, but nobody counts for nothing."""
    return 0.3 + 0.7 * min(max(strength, 0), 5) / 5


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


@cache
def _person_url_parts(prefix: str) -> tuple[str, str]:
    """A person page's URL either side of the id, reversed once per process (and URL prefix)."""
    marker = 918273645
    head, _, tail = reverse("network:person-detail", kwargs={"pk": marker}).partition(str(marker))
    return head, tail


def _person_url(person_id: int) -> str:
    # Two hundred candidates are two hundred URLs: a join costs nothing, a reverse() does.
    head, tail = _person_url_parts(get_script_prefix())
    return f"{head}{person_id}{tail}"


# What a candidate shows of a person: a person row also holds notes, addresses and the rest.
PERSON_FIELDS = ("full_name", "given_name", "strength", "last_contact_on")


def _people() -> Prefetch:
    """An interaction's reachable people, first added first, with what a candidate shows."""
    people = Person.objects.filter(_reachable()).only(*PERSON_FIELDS).order_by("pk")
    return Prefetch("people", queryset=people)


def _first_name(person: Person) -> str:
    return person.given_name or person.full_name.split()[0]


# ---------------------------------------------------------------- providers


@register("follow_up")
def follow_ups_due(user, today: date) -> list[Candidate]:
    """Follow-ups promised on or before today and not yet done."""
    interactions = (
        Interaction.objects.for_user(user)
        .filter(follow_up_done__in=[False], follow_up_on__lte=today)
        # The most recently missed first: a promise from years ago is rarely today's best use.
        .order_by("-follow_up_on", "-pk")
        .only("follow_up_on", "summary")
        .prefetch_related(_people())[:LIMIT]
    )
    found = []
    for interaction in interactions:
        people = list(interaction.people.all())
        if not people:
            continue
        late = (today - interaction.follow_up_on).days
        names = ", ".join(p.full_name for p in people)
        found.append(
            Candidate(
                kind="follow_up",
                key=f"follow_up:interaction:{interaction.pk}",
                title=f"Follow up with {names}",
                why=f"you planned to follow up {_ago(late)} on “{interaction.summary}”",
                urgency=_follow_up_urgency(late),
                importance=_importance(max(p.strength for p in people)),
                person_id=people[0].pk,
                url=_person_url(people[0].pk),
                action={"interaction_id": interaction.pk},
            )
        )
    return found


def _follow_up_urgency(late: int) -> float:
    """Most pressing in the first two weeks after the promised day, then fading slowly."""
    if late <= FRESH_FOLLOW_UP_DAYS:
        return min(1.0, 0.7 + late / 45)
    return max(0.3, 1.0 - (late - FRESH_FOLLOW_UP_DAYS) / 180)


@register("keep_in_touch")
def keep_in_touch_due(user, today: date) -> list[Candidate]:
    """People whose keep-in-touch date has come, most overdue first."""
    people = (
        Person.objects.for_user(user)
        .filter(_reachable(), next_due_on__lte=today, cadence_days__isnull=False)
        .only(*PERSON_FIELDS, "next_due_on", "cadence_days")
        .order_by("next_due_on", "pk")[:LIMIT]
    )
    found = []
    for person in people:
        late = (today - person.next_due_on).days
        if person.last_contact_on:
            since = f"last talked {(today - person.last_contact_on).days} days ago"
        else:
            since = "no conversation logged yet"
        found.append(
            Candidate(
                kind="keep_in_touch",
                key=f"keep_in_touch:person:{person.pk}",
                title=f"Get in touch with {person.full_name}",
                why=f"{since}; you planned every {person.cadence_days}",
                urgency=min(1.0, 0.4 + 0.6 * late / person.cadence_days),
                importance=_importance(person.strength),
                person_id=person.pk,
                url=_person_url(person.pk),
            )
        )
    return found


@register("congratulate")
def people_to_congratulate(user, today: date) -> list[Candidate]:
    """Recent news not yet congratulated on: a new job, a promotion, an award …"""
    events = (
        LifeEvent.objects.for_user(user)
        .filter(
            _reachable("person__"),
            congratulated__in=[False],
            occurred_on__gte=today - timedelta(days=RECENT_EVENT_DAYS),
            occurred_on__lte=today,
        )
        .select_related("person")
        .only("kind", "occurred_on", "note", *(f"person__{name}" for name in PERSON_FIELDS))
        .order_by("-occurred_on", "-pk")[:LIMIT]
    )
    found = []
    for event in events:
        person = event.person
        days = (today - event.occurred_on).days
        note = f": “{event.note}”" if event.note else ""
        found.append(
            Candidate(
                kind="congratulate",
                key=f"congratulate:event:{event.pk}",
                title=f"Congratulate {person.full_name}",
                why=f"{_first_name(person)} {EVENT_WORDS.get(event.kind, 'had news')} "
                f"{_ago(days)}{note}",
                urgency=max(0.2, 1.0 - days / RECENT_EVENT_DAYS),
                importance=_importance(person.strength),
                person_id=person.pk,
                url=_person_url(person.pk),
                is_give=True,
                action={"event_id": event.pk},
            )
        )
    return found


@register("thank_you")
def thank_yous_owed(user, today: date) -> list[Candidate]:
    """An informational or job interview in the last two days, with nothing logged since."""
    interactions: list[Interaction] = list(
        Interaction.objects.for_user(user)
        .filter(
            kind__in=[Interaction.Kind.INFORMATIONAL, Interaction.Kind.JOB_INTERVIEW],
            occurred_on__gte=today - timedelta(days=THANK_YOU_DAYS),
            occurred_on__lte=today,
        )
        .order_by("-occurred_on", "-pk")
        .only("kind", "occurred_on")
        .prefetch_related(_people())[:LIMIT]
    )
    thanked = _logged_the_same_day_after(user, interactions)
    found = []
    for interaction in interactions:
        # last_contact_on is the newest interaction's date: later means a thank-you was logged;
        # on the interview's own day, only something logged after the interview counts.
        people = [
            p
            for p in interaction.people.all()
            if (p.last_contact_on is None or p.last_contact_on <= interaction.occurred_on)
            and (p.pk, interaction.pk) not in thanked
        ]
        if not people:
            continue
        days = (today - interaction.occurred_on).days
        what = interaction.get_kind_display().lower()
        found.append(
            Candidate(
                kind="thank_you",
                key=f"thank_you:interaction:{interaction.pk}",
                title=f"Thank {', '.join(p.full_name for p in people)}",
                why=f"your {what} was {_ago(days)} and no thank-you is logged",
                urgency=1.0 - days * 0.1,
                importance=_importance(max(p.strength for p in people)),
                person_id=people[0].pk,
                url=_person_url(people[0].pk),
                action={"interaction_id": interaction.pk},
            )
        )
    return found


def _logged_the_same_day_after(user, interviews: list[Interaction]) -> set[tuple[int, int]]:
    """(person, interview) pairs with something logged for that person on the interview's
    day after the interview itself (a thank-you written the same evening): one query."""
    same_day = {
        (p.pk, i.pk): i
        for i in interviews
        for p in i.people.all()
        if p.last_contact_on == i.occurred_on
    }
    if not same_day:
        return set()
    through = Interaction.people.through.objects.filter(
        person_id__in={person for person, _ in same_day},
        interaction__owner=user,
        interaction__occurred_on__in={i.occurred_on for i in same_day.values()},
    ).values_list("person_id", "interaction_id", "interaction__occurred_on")
    thanked = set()
    for person, logged, on in through:
        for (who, interview_id), interview in same_day.items():
            if who == person and on == interview.occurred_on and logged > interview_id:
                thanked.add((who, interview_id))
    return thanked


@register("rotation")
def rotation_batch(user, today: date) -> list[Candidate]:
    """This week's rotation people not yet contacted; more pressing as the week runs out."""
    week = selectors.rotation_week(user, today=today)
    if week is None:
        return []
    found = []
    for person in week.batch:
        if person.pk in week.contacted_this_week or person.do_not_contact:
            continue
        left = 6 - today.weekday()
        found.append(
            Candidate(
                kind="rotation",
                key=f"rotation:person:{person.pk}",
                title=f"Say hello to {person.full_name}",
                why=f"in this week's rotation ({_days_left(left)})",
                urgency=0.3 + 0.1 * today.weekday(),
                importance=_importance(person.strength),
                person_id=person.pk,
                url=_person_url(person.pk),
            )
        )
    return found


def _days_left(days: int) -> str:
    return "last day of the week" if days == 0 else f"{days} day{'s' if days > 1 else ''} left"


def _most_owed(user) -> list[tuple[Person, int]]:
    """Up to LIMIT people Today may suggest who have helped you more than you helped them,
    with by how much, the most owed first."""
    balances = (
        Favour.objects.for_user(user)
        .values("person_id")
        .annotate(
            balance=Count("pk", filter=Q(direction=Favour.Direction.RECEIVED))
            - Count("pk", filter=Q(direction=Favour.Direction.GIVEN))
        )
        .filter(balance__gt=0)
        .order_by("-balance", "person_id")
    )
    # The database ranks the balances and only the top few people are looked at, rather than
    # joining every favour to its person: those to leave out (archived, binned, not to be
    # contacted) are few, so one batch is nearly always enough.
    batch, start = LIMIT * 2, 0
    found: list[tuple[Person, int]] = []
    while True:
        rows = [(row["person_id"], row["balance"]) for row in balances[start : start + batch]]
        people = (
            Person.objects.for_user(user)
            .filter(_reachable())
            .only(*PERSON_FIELDS)
            .in_bulk([pk for pk, _ in rows])
        )
        found += [(people[pk], n) for pk, n in rows if pk in people]
        if len(found) >= LIMIT or len(rows) < batch:
            return found[:LIMIT]
        start += batch


@register("give")
def ways_to_give(user, today: date) -> list[Candidate]:
    """Someone who has helped you more than you helped them, or who just had news."""
    owed = _most_owed(user)
    found = []
    for person, n in owed:
        pk = person.pk
        found.append(
            Candidate(
                kind="give",
                key=f"give:person:{pk}",
                title=f"Offer {person.full_name} a hand",
                why=f"{_first_name(person)} has helped you {n} more time{'s' if n > 1 else ''}"
                " than you have helped them",
                urgency=min(1.0, 0.3 + 0.1 * n),
                importance=_importance(person.strength),
                person_id=pk,
                url=_person_url(pk),
                is_give=True,
            )
        )
    events = (
        LifeEvent.objects.for_user(user)
        .filter(
            _reachable("person__"),
            congratulated__in=[True],
            occurred_on__gte=today - timedelta(days=RECENT_EVENT_DAYS),
            occurred_on__lte=today,
        )
        .exclude(person_id__in=[person.pk for person, _ in owed])
        .select_related("person")
        .only("kind", "occurred_on", *(f"person__{name}" for name in PERSON_FIELDS))
        .order_by("-occurred_on", "-pk")[:LIMIT]
    )
    for event in events:
        person = event.person
        days = (today - event.occurred_on).days
        found.append(
            Candidate(
                kind="give",
                key=f"give:person:{person.pk}",
                title=f"Ask {person.full_name} how you can help",
                why=f"{_first_name(person)} {EVENT_WORDS.get(event.kind, 'had news')} "
                f"{_ago(days)}; a new start is when help counts",
                urgency=0.3,
                importance=_importance(person.strength),
                person_id=person.pk,
                url=_person_url(person.pk),
                is_give=True,
            )
        )
    return found


# ---------------------------------------------------------------- what doing an item means

DONE_SUMMARIES = {
    "keep_in_touch": "Kept in touch",
    "rotation": "Said hello (rotation)",
    "give": "Offered help",
    "thank_you": "Sent a thank-you",
}


def _person(user, person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    return Person.objects.for_user(user).filter(pk=person_id).first()


@handles("done", *PERSON_KINDS)
def item_done(*, user, kind: str, person_id, action: dict, note: str, today: date) -> None:
    """Log what was done as an interaction (which resets the keep-in-touch clock)."""
    people: list[Person] = []
    summary = note or DONE_SUMMARIES.get(kind, "Got in touch")
    if kind == "follow_up" and action.get("interaction_id"):
        interaction = Interaction.objects.for_user(user).filter(pk=action["interaction_id"]).first()
        if interaction is not None:
            services.follow_up_done(user=user, interaction=interaction)
            people = list(interaction.people.filter(deleted_at__isnull=True))
            summary = note or f"Followed up: {interaction.summary}"[:300]
    elif kind == "congratulate" and action.get("event_id"):
        event = LifeEvent.objects.for_user(user).filter(pk=action["event_id"]).first()
        if event is not None:
            services.life_event_congratulate(user=user, event=event)
            summary = note or f"Congratulated: {event.get_kind_display().lower()}"
    if not people:
        person = _person(user, person_id)
        people = [person] if person is not None and person.deleted_at is None else []
    if people:
        services.interaction_log(user=user, people=people, summary=summary, today=today)


def longer_cadence(days: int | None) -> int:
    """Half as often again, rounded up to the next usual rhythm (60 → 90, 90 → 180)."""
    if not days:
        return CADENCE_STEPS[-2]
    wanted = math.ceil(days * 1.5)
    return next((step for step in CADENCE_STEPS if step >= wanted), min(wanted, 3650))


@handles("less_often", *PERSON_KINDS)
def item_less_often(*, user, kind: str, person_id, action: dict, note: str, today: date) -> None:
    """Lengthen this person's keep-in-touch cadence."""
    person = _person(user, person_id)
    if person is None or person.deleted_at is not None:
        raise DomainError("This person is no longer in your network (or is in the bin).")
    services.person_update(
        user=user, person=person, cadence_days=longer_cadence(person.cadence_days), today=today
    )
