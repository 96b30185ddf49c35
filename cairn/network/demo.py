"""Demo network: people, organisations, roles, interactions, favours, life events and links.

The shape is what a real network looks like after a few years: a handful of close contacts
seen often and many acquaintances seen rarely; some people overdue for a catch-up, a few
follow-ups due this week, recent news not yet congratulated, favours both ways, chains of
introductions, ex-colleagues whose years at the same employer overlap (so that "who do I
know at X" finds inferred paths).

Everything is decided in Python first (`_Plan`), then written with one batched statement
per table, ids read back in insertion order, and the derived dates (last contact, next due)
computed from the planned interactions rather than per person: the heavy user (20k people,
200k interactions) must be built in well under a minute.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from cairn.core import demo
from cairn.network import cadence, contacts, whoat
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
from cairn.network.names import sort_key


def _phrases(text: str) -> tuple[str, ...]:
    """Phrases separated by "|" or new lines."""
    return tuple(part.strip() for part in text.replace("\n", "|").split("|") if part.strip())


class _Weighted:
    """Values drawn by weight, the cumulative weights computed once (this runs 10⁶ times)."""

    def __init__(self, pairs: Sequence[tuple[Any, float]]):
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


# How many of each kind of row, per person in the demo size.
FAVOURS_PER_PERSON = 0.5
EVENTS_PER_PERSON = 0.25
LINKS_PER_PERSON = 2.0

# Relationship strength 0–5: a few close people, most acquaintances.
STRENGTHS = _Weighted(list(zip(range(6), (8, 34, 30, 17, 8, 3), strict=True)))
# How much of the interaction history each strength draws (close people are seen often).
INTERACTION_WEIGHTS = (0.15, 1.5, 4.0, 10.0, 24.0, 45.0)
CADENCE_BY_STRENGTH = {5: 30, 4: 60, 3: 90, 2: 180, 1: 365}
CADENCE_CHANCE = {5: 1.0, 4: 1.0, 3: 0.9, 2: 0.5, 1: 0.2, 0: 0.0}
OVERDUE_SHARE = 0.22  # of people with a cadence
DUE_THIS_WEEK_SHARE = 0.08

CIRCLES = (
    "Ex-colleagues",
    "Classmates",
    "Neighbours",
    "Mentors",
    "Family",
    "Friends",
    "Conference contacts",
    "Volunteering",
    "Clients",
)
# Mentors and Family are not drawn: they follow from strength.
PRIMARY_CIRCLES = _Weighted(list(zip(CIRCLES, (28, 14, 7, 0, 0, 12, 16, 7, 8), strict=True)))

FIELDS_BY_INDUSTRY = {
    "software": ("Software engineering", "Product management", "Data science", "UX design"),
    "health": ("Nursing", "Medicine", "Clinical research"),
    "finance": ("Finance", "Risk and compliance", "Investment"),
    "education": ("Teaching", "Higher education", "Career guidance"),
    "public": ("Public policy", "Urban planning"),
    "nonprofit": ("Non-profit management", "Fundraising"),
    "manufacturing": ("Engineering", "Supply chain"),
    "retail": ("Retail", "E-commerce", "Brand management"),
    "media": ("Journalism", "Design", "Content strategy"),
    "consulting": ("Consulting", "Business analysis"),
    "logistics": ("Logistics", "Operations"),
    "energy": ("Energy", "Sustainability"),
    "law": ("Law",),
    "hospitality": ("Hospitality", "Events"),
}

KINDS = _Weighted([
    ("email", 25), ("message", 22), ("call", 10), ("video", 10), ("coffee", 10), ("meeting", 9),
    ("event", 5), ("informational", 4), ("job_interview", 1), ("other", 4),
])  # fmt: skip
DIRECTIONS = _Weighted([("outgoing", 50), ("incoming", 35), ("mutual", 15)])

TOPICS = _phrases(
    """
    their move into product management | hiring plans for next year | a reference for my application
    the conference talk proposal | salary ranges for senior roles | the reorganisation in their team
    switching to consulting | what a typical week in their job looks like
    remote work at their company | mentoring junior staff | the open data engineering role
    a side project on open data | their new job | the promotion | visa sponsorship
    negotiating an offer | a certification course | running a workshop together | moving abroad
    catching up after the holidays | feedback on my portfolio | volunteering at the food bank
    board roles at non-profits | going freelance | a possible collaboration | the industry outlook
    their startup's fundraising | a podcast they recommended
    returning to work after parental leave | part-time study while working
    the team they are building | my CV | interview preparation | a grant application
    an article they wrote | the alumni reunion | career change ideas | learning to manage people
    a job posting at their company | public speaking
    """
)
NOTES = _phrases(
    """
    Suggested I talk to someone in their data team. | Promised to send the slides.
    They are hiring again in the spring. | Asked how I could help with their fundraising.
    Follow up in a couple of weeks. | Recommended a book on negotiation.
    Happy to review my cover letter. | Their team uses a four-day week now.
    Worth asking about the graduate programme. | They prefer a short email to a call.
    Offered to introduce me to their manager. | Considering a move to a smaller company.
    Busy until the end of the quarter. | Interested in speaking at our meetup.
    """
)
PERSON_NOTES = _phrases(
    """
    Runs long distances at weekends. | Two children; prefers calls after 7 pm.
    Writes a newsletter on hiring. | Coaches a youth football team. | Learning Japanese.
    Big on board games. | Moved here from abroad a few years ago.
    Knows everyone in the local startup scene. | Prefers messages to email.
    Volunteers as a career mentor.
    """
)
FAVOURS_GIVEN = _phrases(
    """
    Reviewed {given}'s CV | Introduced {given} to {other} | Wrote a recommendation for {given}
    Shared job leads in {field} | Helped {given} prepare for an interview
    Gave feedback on {given}'s pitch deck | Spoke at {given}'s meetup
    Answered {given}'s questions about {org} | Proofread {given}'s article
    Passed {given}'s name to a recruiter
    """
)
FAVOURS_RECEIVED = _phrases(
    """
    {given} introduced me to {other} | {given} reviewed my cover letter
    {given} referred me for a role at {org} | {given} shared salary data for {field}
    {given} recommended me for a speaking slot | {given} gave me a mock interview
    {given} sent me a lead at {org} | {given} wrote me a reference
    {given} explained how hiring works at {org}
    """
)
EVENT_KINDS = _Weighted([
    ("new_job", 25), ("promotion", 20), ("moved", 10), ("published", 10), ("award", 8),
    ("birthday", 20), ("other", 7),
])  # fmt: skip
OTHER_NEWS = _phrases(
    """
    Finished a part-time master's degree | Launched a podcast | Ran a marathon
    Started a sabbatical | Became a school governor | Opened a small bakery on the side
    """
)
AWARDS = ("team of the year", "innovation", "mentor of the year", "best paper", "community")
SMALLER_SIZES = _Weighted([("", 20), ("1-10", 20), ("11-50", 35), ("51-250", 25)])
PERSONAL_DOMAINS = ("mail.example", "post.example", "inbox.example", "home.example")
LINK_KINDS = _Weighted([
    ("worked_with", 34), ("reports_to", 8), ("studied_with", 12), ("family", 4), ("friend", 16),
    ("other", 26),
])  # fmt: skip

# Numbers set aside for fiction and examples, so that no real phone rings: (template, how many
# numbers it gives). US and Canadian 555-01xx, Ofcom's drama ranges, ACMA's 5550 and 0491 570.
_PHONE_PLANS = {
    "New York": ("+1 212 555 01{:02d}", 100),
    "Boston": ("+1 617 555 01{:02d}", 100),
    "Chicago": ("+1 312 555 01{:02d}", 100),
    "Austin": ("+1 512 555 01{:02d}", 100),
    "Denver": ("+1 303 555 01{:02d}", 100),
    "Seattle": ("+1 206 555 01{:02d}", 100),
    "San Francisco": ("+1 415 555 01{:02d}", 100),
    "Toronto": ("+1 416 555 01{:02d}", 100),
    "Vancouver": ("+1 604 555 01{:02d}", 100),
    "Montréal": ("+1 514 555 01{:02d}", 100),
    "London": ("+44 20 7946 0{:03d}", 1000),
    "Manchester": ("+44 161 496 0{:03d}", 1000),
    "Edinburgh": ("+44 131 496 0{:03d}", 1000),
    "Sydney": ("+61 2 5550 {:04d}", 10000),
    "Melbourne": ("+61 3 5550 {:04d}", 10000),
}
_MOBILE_PLAN = ("+44 7700 900{:03d}", 1000)  # a UK mobile, for some people elsewhere


@dataclass
class _Person:
    name: demo.PersonName
    place: demo.Place
    strength: int
    cadence_days: int | None
    circles: list[int]
    last_contact_on: date | None = None  # planned; the real one is computed from interactions
    met_on: date | None = None
    met_at: str = ""
    how_met: str = ""
    introduced_by: int | None = None  # index into the plan's people
    roles: list[int] = field(default_factory=list)  # indexes into the plan's roles
    archived_on: date | None = None  # drifted apart: archived that day
    do_not_contact: bool = False
    notes: str = ""
    headline: bool = True  # whether they wrote one (their current title and organisation)


@dataclass(frozen=True)
class _Role:
    person: int
    organisation: int
    title: str
    started_on: date
    ended_on: date | None


@dataclass
class _Interaction:
    people: list[int]
    on: date
    at: time | None
    kind: str
    direction: str
    organisation: int | None
    summary: str
    notes: str
    follow_up_on: date | None = None
    follow_up_done: bool = False


@dataclass
class _Plan:
    organisations: list[demo.Organisation]
    employers: list[int]  # the demo user's own past and present employers
    fields: list[str]
    organisation_sizes: list[str] = field(default_factory=list)
    targets: set[int] = field(default_factory=set)  # organisations the user would like to join
    people: list[_Person] = field(default_factory=list)
    roles: list[_Role] = field(default_factory=list)
    person_fields: list[tuple[int, int]] = field(default_factory=list)
    contact_points: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    interactions: list[_Interaction] = field(default_factory=list)
    favours: list[tuple[int, str, date, str]] = field(default_factory=list)
    events: list[tuple[int, str, date, str, bool]] = field(default_factory=list)
    links: list[tuple[int, int, str, str]] = field(default_factory=list)


@demo.filler("network", order=10)
def fill_network(user: Any, rng: random.Random, size: demo.Size, today: date) -> Mapping[str, int]:
    """The demo user's network at `size`, as of `today`."""
    plan = plan_network(rng, size, today)
    counts = write_network(user, plan, today)
    refresh_statistics()
    from cairn.core import search

    if hasattr(search, "rebuild"):
        from cairn.network import search as network_search

        kinds = [network_search.PERSON, network_search.ORGANISATION, network_search.INTERACTION]
        search.rebuild(user, only=kinds)
    return counts


TABLES = (
    Circle, CareerField, Organisation, Person, Person.circles.through, Person.fields.through,
    ContactPoint, Role, Interaction, Interaction.people.through, Favour, LifeEvent, Link,
)  # fmt: skip


def refresh_statistics() -> None:
    """Refresh the query planner's statistics of the network's tables, as after any bulk load.
    PostgreSQL's autovacuum would get there on its own, later; SQLite never does, and without
    statistics it may walk all of an owner's interactions to show one person's."""
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# ---------------------------------------------------------------- planning (pure)


def plan_network(rng: random.Random, size: demo.Size, today: date) -> _Plan:
    """Everything the demo network holds, decided from `rng` alone."""
    organisations = demo.organisations(rng, max(size.organisations, 4))
    # Ex-colleagues come from the user's employers, about a hundred from each (at least three
    # employers), so that a bigger network is wider, not denser.
    employers = rng.sample(range(len(organisations)), max(3, size.people // 300))
    industries = sorted({org.industry for org in organisations})
    fields = sorted({name for key in industries for name in FIELDS_BY_INDUSTRY.get(key, ())})
    plan = _Plan(organisations, employers, fields)
    plan.targets = {
        i for i in range(len(organisations)) if rng.random() < 0.04 and i not in employers
    }
    _plan_people(plan, rng, size.people, today)
    _plan_roles(plan, rng, today)
    _plan_organisation_sizes(plan, rng)
    _plan_fields_and_contacts(plan, rng)
    _plan_interactions(plan, rng, size.interactions, today)
    _plan_favours(plan, rng, round(size.people * FAVOURS_PER_PERSON), today)
    _plan_events(plan, rng, round(size.people * EVENTS_PER_PERSON), today)
    _plan_links(plan, rng, round(size.people * LINKS_PER_PERSON), today)
    return plan


def _plan_people(plan: _Plan, rng: random.Random, count: int, today: date) -> None:
    home = demo.place(rng)
    circle_index = {name: i for i, name in enumerate(CIRCLES)}
    introduced: list[int] = []
    for index, name in enumerate(demo.person_names(rng, count)):
        strength = STRENGTHS.pick(rng)
        cadence_days = None
        if rng.random() < CADENCE_CHANCE[strength]:
            cadence_days = CADENCE_BY_STRENGTH[strength]
        if strength >= 4 and rng.random() < 0.18:
            primary = "Family"
        elif strength >= 3 and rng.random() < 0.12:
            primary = "Mentors"
        else:
            primary = PRIMARY_CIRCLES.pick(rng)
        circles = [circle_index[primary]]
        if rng.random() < 0.15:
            second = PRIMARY_CIRCLES.pick(rng)
            if second != primary:
                circles.append(circle_index[second])
        where = home if primary in ("Neighbours", "Family") and rng.random() < 0.7 else None
        person = _Person(
            name=name,
            place=where or demo.place(rng, name.origin),
            strength=strength,
            cadence_days=cadence_days,
            circles=circles,
            do_not_contact=rng.random() < 0.01,
        )
        if rng.random() < 0.15:
            person.notes = rng.choice(PERSON_NOTES)
        if strength <= 1 and rng.random() < 0.03:
            person.archived_on = today - timedelta(days=rng.randint(20, 400))
        person.headline = rng.random() < 0.8
        _plan_last_contact(person, rng, today)
        _plan_how_met(plan, person, primary, rng, today, home)
        # Introductions: by someone already in the network, usually someone fairly close, and
        # often by someone who was introduced too (chains: A introduced B, who introduced C).
        if index > 5 and primary not in ("Family", "Ex-colleagues") and rng.random() < 0.2:
            for _ in range(4):
                pool = introduced if introduced and rng.random() < 0.4 else None
                introducer = rng.choice(pool) if pool else rng.randrange(index)
                if plan.people[introducer].strength >= 2:
                    person.introduced_by = introducer
                    person.how_met = f"Introduced by {plan.people[introducer].name.full}"
                    introduced.append(index)
                    break
        plan.people.append(person)


def _plan_last_contact(person: _Person, rng: random.Random, today: date) -> None:
    """The planned date of the last contact: on track, due this week or overdue."""
    if person.strength == 0 and rng.random() < 0.6:
        return  # never met, never contacted
    days = person.cadence_days
    if days is None:
        person.last_contact_on = demo.recent_date(rng, today=today, years=4, bias=1.3)
        return
    chance = rng.random()
    if chance < OVERDUE_SHARE:
        ago = days + rng.randint(1, max(2, days))
    elif chance < OVERDUE_SHARE + DUE_THIS_WEEK_SHARE:
        ago = days - rng.randint(0, min(6, days - 1))
    else:
        ago = rng.randint(0, max(0, days - 8))
    person.last_contact_on = today - timedelta(days=ago)


def _plan_how_met(
    plan: _Plan, person: _Person, primary: str, rng: random.Random, today: date, home
) -> None:
    latest = person.last_contact_on or today
    if primary != "Family" and rng.random() < 0.75:
        person.met_on = latest - timedelta(days=int(rng.random() ** 0.8 * 12 * 365))
    year = (person.met_on or latest).year
    orgs = plan.organisations
    if primary == "Ex-colleagues":
        employer = orgs[rng.choice(plan.employers)].name
        person.met_at, person.how_met = employer, f"Worked together at {employer}"
    elif primary == "Classmates":
        school = f"University of {rng.choice(demo.PLACES).city}"
        person.met_at, person.how_met = school, f"Studied together at {school}"
    elif primary == "Neighbours":
        person.how_met = f"Neighbours in {home.city}"
    elif primary == "Mentors":
        person.how_met = rng.choice(
            ("Mentor from a mentoring programme", "My first manager", "Met through a professor")
        )
    elif primary == "Conference contacts":
        event = rng.choice(
            (
                f"{person.place.city} Tech Meetup",
                f"Careers Fair {year}",
                f"Data Days {person.place.city}",
                f"Product Camp {year}",
                f"Leadership Forum {year}",
            )
        )
        person.met_at, person.how_met = event, f"Met at {event}"
    elif primary == "Volunteering":
        charity = orgs[rng.randrange(len(orgs))].name
        person.met_at, person.how_met = charity, f"Volunteered together for {charity}"
    elif primary == "Clients":
        person.how_met = "A client from a past project"
    elif primary == "Friends":
        person.how_met = rng.choice(
            ("Friend from the climbing gym", "Friend of a friend", "Met on a hiking trip")
        )


def _plan_roles(plan: _Plan, rng: random.Random, today: date) -> None:
    """Role histories: most people work somewhere now; a third changed jobs before.
    Ex-colleagues held a role at one of the user's employers, so their years overlap."""
    orgs = plan.organisations
    industries = demo.INDUSTRIES_BY_KEY
    # A few large organisations and many small ones.
    weights = [1.0 / (rank + 10) ** 0.6 for rank in range(len(orgs))]
    cumulative = list(accumulate(weights))
    ex_colleagues = CIRCLES.index("Ex-colleagues")
    for index, person in enumerate(plan.people):
        count = 1 + (rng.random() < 0.35) + (rng.random() < 0.15)
        employed_now = rng.random() < 0.88
        end: date | None = None if employed_now else today - timedelta(days=rng.randint(30, 900))
        for step in range(count):
            if step == count - 1 and ex_colleagues in person.circles:
                org = rng.choice(plan.employers)
            else:
                org = rng.choices(range(len(orgs)), cum_weights=cumulative)[0]
            length = rng.randint(200, 6 * 365) if step == 0 and end is None else None
            last_day = end or today
            start = last_day - timedelta(days=length or rng.randint(300, 5 * 365))
            title = demo.job_title(rng, industries[orgs[org].industry])
            role = _Role(index, org, title, start, end)
            person.roles.append(len(plan.roles))
            plan.roles.append(role)
            end = start - timedelta(days=rng.randint(0, 120))


def _plan_organisation_sizes(plan: _Plan, rng: random.Random) -> None:
    """Where many of the network worked is a large organisation; the rest vary."""
    people: dict[int, int] = defaultdict(int)
    for role in plan.roles:
        people[role.organisation] += 1
    for index in range(len(plan.organisations)):
        count = people[index]
        if count >= 10:
            size = "1000+"
        elif count >= 5:
            size = "251-1000"
        elif count >= 3:
            size = "51-250"
        else:
            size = SMALLER_SIZES.pick(rng)
        plan.organisation_sizes.append(size)


def _current_role(plan: _Plan, person: _Person) -> _Role | None:
    for index in person.roles:
        if plan.roles[index].ended_on is None:
            return plan.roles[index]
    return None


def _plan_fields_and_contacts(plan: _Plan, rng: random.Random) -> None:
    field_index = {name: i for i, name in enumerate(plan.fields)}
    used_emails: set[str] = set()
    phones_used: dict[str, int] = defaultdict(int)
    for index, person in enumerate(plan.people):
        role = _current_role(plan, person) or plan.roles[person.roles[0]]
        org = plan.organisations[role.organisation]
        choices = FIELDS_BY_INDUSTRY.get(org.industry, ())
        if choices and rng.random() < 0.6:
            for name in rng.sample(choices, min(len(choices), 1 + (rng.random() < 0.3))):
                plan.person_fields.append((index, field_index[name]))
        # Contact points: an email (work or personal), often a profile link, sometimes a phone.
        current = _current_role(plan, person)
        domain = org.domain if current and rng.random() < 0.6 else rng.choice(PERSONAL_DOMAINS)
        email = demo.email_for(person.name, domain)
        number = 2
        while email in used_emails:
            local, at = email.split("@")
            email = f"{local.rstrip('0123456789')}{number}@{at}"
            number += 1
        used_emails.add(email)
        label = "work" if domain == org.domain else "home"
        plan.contact_points.append((index, "email", email, email.lower(), label))
        if rng.random() < 0.55:
            slug = demo.ascii_slug(person.name.full)
            # What contacts.normalize_url makes of it, without validating 10⁴ URLs we wrote.
            normalized = f"https://linkedin.example/in/{slug}-{index:x}"
            url = normalized.replace("https://", "https://www.")
            plan.contact_points.append((index, "link", url, normalized, "LinkedIn"))
        if rng.random() < 0.4:
            phone = _phone(person.place.city, phones_used, rng)
            if phone:
                normalized = contacts.normalize_phone(phone)
                formatted = contacts.format_phone(normalized)
                plan.contact_points.append((index, "phone", formatted, normalized, "mobile"))


def _phone(city: str, used: dict[str, int], rng: random.Random) -> str | None:
    """A number from a range kept for fiction; None once the city's range is used up."""
    if city in _PHONE_PLANS:
        template, capacity = _PHONE_PLANS[city]
        key = city
    elif rng.random() < 0.25:
        template, capacity = _MOBILE_PLAN
        key = "mobile"
    else:
        return None
    if used[key] >= capacity:
        return None
    used[key] += 1
    return template.format(used[key] - 1)


def _plan_interactions(plan: _Plan, rng: random.Random, count: int, today: date) -> None:
    """`count` interactions, shared out by strength: close people get dozens, most a few.
    Each person's latest interaction falls on their planned last contact."""
    people = plan.people
    weights = [
        INTERACTION_WEIGHTS[p.strength] * (0.5 + rng.random()) if p.last_contact_on else 0.0
        for p in people
    ]
    contacted = [i for i, p in enumerate(people) if p.last_contact_on]
    if not contacted:
        return
    shares = [0] * len(people)
    for index in contacted:  # everyone contacted at least once, on their last contact
        shares[index] = 1
    remaining = max(count - len(contacted), 0)
    for index in rng.choices(range(len(people)), weights, k=remaining):
        shares[index] += 1
    colleagues: dict[int, list[int]] = defaultdict(list)
    for role in plan.roles:
        if role.ended_on is None:
            colleagues[role.organisation].append(role.person)
    for index in contacted:
        person = people[index]
        last = person.last_contact_on
        assert last is not None
        first = person.met_on or last - timedelta(days=5 * 365)
        first = min(first, last)
        current = _current_role(plan, person)
        span = (last - first).days
        for n in range(shares[index]):
            on = last if n == 0 else last - timedelta(days=int(span * rng.random() ** 1.2))
            plan.interactions.append(_interaction(plan, rng, index, on, current, colleagues))
        if len(plan.interactions) >= count:
            break
    del plan.interactions[count:]
    _plan_follow_ups(plan, rng, today)


def _interaction(
    plan: _Plan,
    rng: random.Random,
    index: int,
    on: date,
    current: _Role | None,
    colleagues: Mapping[int, list[int]],
) -> _Interaction:
    person = plan.people[index]
    kind = KINDS.pick(rng)
    direction = DIRECTIONS.pick(rng)
    together = [index]
    org_index = current.organisation if current else None
    if kind in ("meeting", "event") and org_index is not None and rng.random() < 0.5:
        for other in rng.sample(colleagues[org_index], min(2, len(colleagues[org_index]))):
            if other not in together and plan.people[other].last_contact_on:
                together.append(other)
    given = person.name.given
    org_name = plan.organisations[org_index].name if org_index is not None else "their company"
    topic = rng.choice(TOPICS)
    names = " and ".join(plan.people[i].name.given for i in together)
    if kind == "email":
        summary = (
            f"{given} emailed about {topic}"
            if direction == "incoming"
            else f"Emailed {given} about {topic}"
        )
    elif kind == "message":
        summary = (
            f"{given} messaged about {topic}"
            if direction == "incoming"
            else f"Messaged {given} about {topic}"
        )
    elif kind == "call":
        summary = f"Call with {given} about {topic}"
    elif kind == "video":
        summary = f"Video call with {given}: {topic}"
    elif kind == "coffee":
        summary = f"Coffee with {given}: {topic}"
    elif kind == "meeting":
        summary = f"Meeting with {names} at {org_name}"
    elif kind == "event":
        summary = f"Saw {names} at the {person.place.city} meetup"
    elif kind == "informational":
        summary = f"Informational interview with {given} about {topic}"
    elif kind == "job_interview":
        summary = f"Interview at {org_name} with {given}"
    else:
        summary = f"Ran into {given}: {topic}"
    notes = ""
    if rng.random() < 0.25:
        notes = rng.choice(NOTES)
        if rng.random() < 0.4:
            notes = f"{notes} {rng.choice(NOTES)}"
    at = None
    if kind in ("call", "video", "coffee", "meeting", "informational", "job_interview"):
        minutes = rng.randrange(8 * 60, 19 * 60, 15)
        at = time(minutes // 60, minutes % 60)
    formal = kind in ("meeting", "informational", "job_interview")
    return _Interaction(
        people=together,
        on=on,
        at=at,
        kind=kind,
        direction=direction,
        organisation=org_index if formal and rng.random() < 0.7 else None,
        summary=summary[:300],
        notes=notes,
    )


def _plan_follow_ups(plan: _Plan, rng: random.Random, today: date) -> None:
    """Recent interactions often promise a follow-up; a few are due today or this week, a
    few slipped; older ones were mostly done."""
    recent = []
    for interaction in plan.interactions:
        age = (today - interaction.on).days
        if age <= 21:
            recent.append(interaction)
            if rng.random() < 0.35:
                interaction.follow_up_on = interaction.on + timedelta(days=rng.randint(2, 14))
                if interaction.follow_up_on < today:
                    interaction.follow_up_done = rng.random() < 0.6
        elif rng.random() < 0.08:
            interaction.follow_up_on = interaction.on + timedelta(days=rng.randint(3, 30))
            interaction.follow_up_done = rng.random() < 0.9
    # However the dice fell, today has something to follow up.
    wanted = max(1, len(plan.people) // 75)
    due_today = [i for i in recent if i.follow_up_on == today and not i.follow_up_done]
    people = {i.people[0] for i in due_today}
    for interaction in recent:
        if len(due_today) >= wanted:
            break
        fresh = interaction.people[0] not in people
        if interaction.follow_up_on is None and interaction.on < today and fresh:
            interaction.follow_up_on, interaction.follow_up_done = today, False
            due_today.append(interaction)
            people.add(interaction.people[0])


def _weighted_people(plan: _Plan, weights: Sequence[float], rng: random.Random, k: int) -> list:
    people_weights = [
        weights[p.strength] if p.last_contact_on and not p.archived_on else 0.0 for p in plan.people
    ]
    if not any(people_weights):
        return []
    return rng.choices(range(len(plan.people)), people_weights, k=k)


def _plan_favours(plan: _Plan, rng: random.Random, count: int, today: date) -> None:
    for index in _weighted_people(plan, (0, 1, 2, 4, 6, 8), rng, count):
        person = plan.people[index]
        role = _current_role(plan, person) or plan.roles[person.roles[0]]
        org = plan.organisations[role.organisation].name
        other = plan.people[rng.randrange(len(plan.people))].name.full
        field_name = rng.choice(plan.fields) if plan.fields else "their field"
        given = rng.random() < 0.55
        template = rng.choice(FAVOURS_GIVEN if given else FAVOURS_RECEIVED)
        text = template.format(given=person.name.given, other=other, org=org, field=field_name)
        on = min(demo.recent_date(rng, today=today, years=5, bias=1.4), person.last_contact_on)
        plan.favours.append((index, "given" if given else "received", on, text))


def _plan_events(plan: _Plan, rng: random.Random, count: int, today: date) -> None:
    """News worth a message: recent news mostly not yet congratulated, older news mostly was."""
    for index in _weighted_people(plan, (0.2, 1, 2, 3, 4, 5), rng, count):
        person = plan.people[index]
        kind = EVENT_KINDS.pick(rng)
        recent = rng.random() < 0.3
        on = today - timedelta(days=rng.randint(0, 30)) if recent else None
        on = on or demo.recent_date(rng, today=today, years=4, bias=1.2)
        role = _current_role(plan, person)
        note = ""
        if kind == "new_job" and role:
            note = f"Started as {role.title} at {plan.organisations[role.organisation].name}"
            on = max(role.started_on, on) if recent else role.started_on
        elif kind == "promotion" and role:
            note = f"Promoted to {role.title}"
        elif kind == "moved":
            note = f"Moved to {person.place.city}"
        elif kind == "published":
            note = f"Published an article on {rng.choice(TOPICS)}"
        elif kind == "award":
            note = f"Won the {rng.choice(AWARDS)} award"
        elif kind == "birthday":
            on = today + timedelta(days=rng.randint(-20, 40))
        elif kind == "other":
            note = rng.choice(OTHER_NEWS)
        if kind != "birthday":
            on = min(on, today)  # only a birthday can be ahead
        fresh = (today - on).days <= 30
        congratulated = on <= today and rng.random() < (0.25 if fresh else 0.85)
        plan.events.append((index, kind, on, note, congratulated))


def _plan_links(plan: _Plan, rng: random.Random, count: int, today: date) -> None:
    """Who knows whom: colleagues whose years overlapped, classmates, family, friends."""
    people = plan.people
    if len(people) < 2:
        return
    by_org: dict[int, list[int]] = defaultdict(list)
    for index, role in enumerate(plan.roles):
        by_org[role.organisation].append(index)
    shared_orgs = [org for org, roles in by_org.items() if len(roles) > 1]
    by_circle: dict[int, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        for circle in person.circles:
            by_circle[circle].append(index)
    seen: set[tuple[int, int, str]] = set()
    circle_of = {
        "studied_with": CIRCLES.index("Classmates"),
        "family": CIRCLES.index("Family"),
        "friend": CIRCLES.index("Friends"),
    }
    attempts = 0
    while len(plan.links) < count and attempts < count * 20:
        attempts += 1
        kind = LINK_KINDS.pick(rng)
        note = ""
        if kind in ("worked_with", "reports_to") and shared_orgs:
            roles = by_org[rng.choice(shared_orgs)]
            x, y = (plan.roles[i] for i in _two(rng, roles))
            together = whoat.overlap(_stint(x, today), _stint(y, today), today)
            if together is None:
                continue
            a, b = x.person, y.person
            note = plan.organisations[x.organisation].name if rng.random() < 0.3 else ""
        elif kind in circle_of and len(by_circle[circle_of[kind]]) > 1:
            a, b = _two(rng, by_circle[circle_of[kind]])
        else:
            a, b = _two(rng, range(len(people)))
            kind = "other" if kind in circle_of else kind
            if kind in ("worked_with", "reports_to"):
                kind = "other"
        key = (min(a, b), max(a, b), kind)
        if a == b or key in seen:
            continue
        seen.add(key)
        plan.links.append((a, b, kind, note))


def _two(rng: random.Random, items: Sequence[int]) -> tuple[int, int]:
    """Two different items (by position) of `items`, which has at least two."""
    first = rng.randrange(len(items))
    second = rng.randrange(len(items) - 1)
    return items[first], items[second + (second >= first)]


def _stint(role: _Role, today: date) -> whoat.Stint:
    return whoat.Stint(
        role.person, role.organisation, "", role.title, role.started_on, role.ended_on,
        role.ended_on is None,
    )  # fmt: skip


# ---------------------------------------------------------------- writing


def write_network(user: Any, plan: _Plan, today: date) -> dict[str, int]:
    """Write the plan for `user` with batched inserts; returns how many rows of each."""
    writer = _Writer(user)
    circle_ids = writer.insert(Circle, ["name"], [(name,) for name in CIRCLES])
    field_ids = writer.insert(CareerField, ["name"], [(name,) for name in plan.fields])
    org_ids = writer.insert(
        Organisation,
        ["name", "domain", "industry", "location", "size", "notes", "is_target"],
        [
            (org.name, org.domain, demo.INDUSTRIES_BY_KEY[org.industry].label,
             f"{org.place.city}, {org.place.country}", plan.organisation_sizes[index], "",
             index in plan.targets)
            for index, org in enumerate(plan.organisations)
        ],
    )  # fmt: skip

    # Derived dates from the planned interactions, computed once for everybody.
    last_contact: dict[int, date] = {}
    for interaction in plan.interactions:
        for index in interaction.people:
            if interaction.on > last_contact.get(index, date.min):
                last_contact[index] = interaction.on
    created_on = timezone.localdate(timezone.now(), timezone=user.zone)
    person_rows = []
    for index, person in enumerate(plan.people):
        role = _current_role(plan, person)
        headline = ""
        if role and person.headline:
            headline = f"{role.title} at {plan.organisations[role.organisation].name}"
        last = last_contact.get(index)
        name = person.name
        sort_name = sort_key(full_name=name.full, given_name=name.given, family_name=name.family)
        next_due = cadence.next_due(
            last_contact_on=last, cadence_days=person.cadence_days, created_on=created_on
        )
        person_rows.append(
            (name.full, name.given, name.family, sort_name[:200], "", headline,
             f"{person.place.city}, {person.place.country}", person.how_met, person.met_on,
             person.met_at, person.strength, person.cadence_days, person.do_not_contact,
             person.strength > 0, person.notes, writer.noon(person.archived_on), last, next_due)
        )  # fmt: skip
    person_ids = writer.insert(
        Person,
        [
            "full_name", "given_name", "family_name", "sort_name", "pronouns", "headline",
            "location", "how_met", "met_on", "met_at", "strength", "cadence_days",
            "do_not_contact", "in_rotation", "notes", "archived_at", "last_contact_on",
            "next_due_on",
        ],
        person_rows,
    )  # fmt: skip
    introductions = [
        (person_ids[person.introduced_by], person_ids[index])
        for index, person in enumerate(plan.people)
        if person.introduced_by is not None
    ]
    writer.execute(
        f"UPDATE {Person._meta.db_table} SET introduced_by_id = %s WHERE id = %s",  # noqa: S608
        introductions,
    )
    writer.insert(
        Person.circles.through,
        ["person_id", "circle_id"],
        [(person_ids[i], circle_ids[c]) for i, p in enumerate(plan.people) for c in p.circles],
        owned=False,
        returning=False,
    )
    writer.insert(
        Person.fields.through,
        ["person_id", "careerfield_id"],
        [(person_ids[i], field_ids[f]) for i, f in plan.person_fields],
        owned=False,
        returning=False,
    )
    writer.insert(
        ContactPoint,
        ["person_id", "kind", "value", "normalized", "label"],
        [(person_ids[i], *rest) for i, *rest in plan.contact_points],
        returning=False,
    )
    writer.insert(
        Role,
        ["person_id", "organisation_id", "title", "started_on", "ended_on", "is_current"],
        [
            (
                person_ids[r.person],
                org_ids[r.organisation],
                r.title,
                r.started_on,
                r.ended_on,
                r.ended_on is None,
            )
            for r in plan.roles
        ],
        returning=False,
    )
    interaction_ids = writer.insert(
        Interaction,
        [
            "occurred_on", "occurred_at", "kind", "direction", "organisation_id", "summary",
            "notes", "follow_up_on", "follow_up_done",
        ],
        [
            (
                i.on, writer.db_time(i.at), i.kind, i.direction,
                org_ids[i.organisation] if i.organisation is not None else None,
                i.summary, i.notes, i.follow_up_on, i.follow_up_done,
            )
            for i in plan.interactions
        ],
    )  # fmt: skip
    writer.insert(
        Interaction.people.through,
        ["interaction_id", "person_id"],
        [
            (interaction_ids[n], person_ids[p])
            for n, interaction in enumerate(plan.interactions)
            for p in interaction.people
        ],
        owned=False,
        returning=False,
    )
    writer.insert(
        Favour,
        ["person_id", "direction", "occurred_on", "description"],
        [(person_ids[i], direction, on, text) for i, direction, on, text in plan.favours],
        returning=False,
    )
    writer.insert(
        LifeEvent,
        ["person_id", "kind", "occurred_on", "note", "congratulated"],
        [(person_ids[i], *rest) for i, *rest in plan.events],
        returning=False,
    )
    writer.insert(
        Link,
        ["from_person_id", "to_person_id", "kind", "note"],
        [(person_ids[a], person_ids[b], kind, note) for a, b, kind, note in plan.links],
        returning=False,
    )
    return {
        "people": len(plan.people),
        "organisations": len(plan.organisations),
        "roles": len(plan.roles),
        "interactions": len(plan.interactions),
        "favours": len(plan.favours),
        "life events": len(plan.events),
        "links": len(plan.links),
        "introductions": len(introductions),
    }


class _Writer:
    """Bulk inserts for one owner: ids come back in insertion order.

    The account is new (demo_fill refuses an account with rows), so its rows in a table,
    ordered by id, are exactly those this writer inserted, in order. SQLite gets one prepared
    statement run for every row (in-process, that is the fast way); PostgreSQL gets COPY, as
    a statement per row would be a round trip each.
    """

    def __init__(self, user: Any):
        self.user = user
        now = timezone.now()
        self.now = self.db_datetime(now)

    @staticmethod
    def db_datetime(value: datetime):
        return connection.ops.adapt_datetimefield_value(value)

    def noon(self, day: date | None):
        """Midday of `day` in the user's time zone, as the database takes a datetime."""
        if day is None:
            return None
        return self.db_datetime(datetime.combine(day, time(12), tzinfo=self.user.zone))

    @staticmethod
    def db_time(value: time | None):
        return connection.ops.adapt_timefield_value(value) if value is not None else None

    def execute(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])

    def insert(
        self,
        model: type[Model],
        columns: list[str],
        rows: Sequence[Sequence[Any]],
        *,
        owned: bool = True,
        returning: bool = True,
    ) -> list[int]:
        """Insert `rows` (values for `columns`); the new ids in order unless not `returning`."""
        names = list(columns)
        if owned:
            names += ["owner_id", "created_at", "updated_at"]
            extra = (self.user.pk, self.now, self.now)
            rows = [(*row, *extra) for row in rows]
        table = connection.ops.quote_name(model._meta.db_table)
        quoted = ", ".join(connection.ops.quote_name(name) for name in names)
        # Table and column names come from the models, never from input.
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            self.execute(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)  # noqa: S608
        if not returning or not rows:
            return []
        assert owned, "ids are read back by owner"
        ids = list(
            model._default_manager.filter(owner=self.user)  # type: ignore[misc]
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        assert len(ids) == len(rows), f"{table}: expected {len(rows)} new rows, found {len(ids)}"
        return ids
