"""Who do I know at an organisation (pure): the people there, and paths to them through others.

`selectors.who_knows_at` loads plain data and hands it here: people (`Someone`), roles
(`Stint`) and what connects two people (`Edge`). Three kinds of edge:

- a **link** the user stated (worked with, family, reports to …), in either direction;
- an **introduction**: whoever introduced someone to the user knows them;
- an **inferred** colleague: two people who held roles at the same organisation at overlapping
  times probably know each other. Always shown as inferred ("probably know each other: both at
  Initech 2019–2021"), never stored as if the user had said so.

Scores (all between 0 and 1):

- `warmth(person) = 0.7 × strength/5 + 0.3 × freshness`, where freshness halves every
  `FRESHNESS_HALF_LIFE_DAYS` since the last contact (1 today, 0 if never): how easily you can
  ask this person for something. Strength dominates; a recent conversation helps.
- An insider (first degree) scores `warmth × reach`, with reach 1 for a current role there and
  `PAST_REACH` for a past one (people who left still know people inside).
- A path me → A → B scores `warmth(A) × tie(A, B) × reach(B) × (1 − warmth(B))`.
  `tie` combines every piece of evidence that A knows B as independent chances
  (`1 − Π(1 − confidence)`, see `Edge.confidence`). The last factor is what the path adds:
  reaching a stranger through a close friend is worth the most, an introduction to someone
  you already know well is worth nothing.

Equal scores fall back to A's strength, A's last contact, then names, so the order is stable.
Paths through people marked do-not-contact, or to them, are left out; so are intermediaries
you have never met and never contacted (warmth 0). At a very large organisation, paths are
looked for to at most MAX_TARGETS people: those a path would add most to (`worth_reaching`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

LINK = "link"
INTRODUCTION = "introduction"
INFERRED = "inferred"

FRESHNESS_HALF_LIFE_DAYS = 180
PAST_REACH = 0.6
MIN_OVERLAP_DAYS = 30  # shorter overlaps (a handover, a summer) say little
LONG_OVERLAP_DAYS = 365
PATHS_PER_TARGET = 3
MAX_TARGETS = 300  # people at one organisation that paths are looked for

# How sure a piece of evidence makes us that two people know each other.
LINK_CONFIDENCE = {
    "worked_with": 0.95,
    "studied_with": 0.95,
    "family": 0.95,
    "friend": 0.95,
    "reports_to": 0.95,
    "other": 0.8,
}
INTRODUCTION_CONFIDENCE = 0.9
INFERRED_CONFIDENCE = 0.5  # at least a year together
INFERRED_SHORT_CONFIDENCE = 0.3  # a month to a year together, or "both there now"

# How each kind of link reads from either end: (from_person's side, to_person's side).
_LINK_PHRASES = {
    "worked_with": ("worked with {other}", "worked with {other}"),
    "studied_with": ("studied with {other}", "studied with {other}"),
    "family": ("family of {other}", "family of {other}"),
    "friend": ("friend of {other}", "friend of {other}"),
    "reports_to": ("reports to {other}", "manages {other}"),
    "other": ("knows {other}", "knows {other}"),
}


@dataclass(frozen=True)
class Someone:
    """A person as who-at needs them."""

    id: int
    name: str
    strength: int = 0
    last_contact_on: date | None = None
    headline: str = ""
    do_not_contact: bool = False


@dataclass(frozen=True)
class Stint:
    """A role: someone at an organisation, with a title and dates (either may be unknown)."""

    person_id: int
    organisation_id: int
    organisation: str
    title: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    is_current: bool = False

    def label(self) -> str:
        """`Product Manager at Acme (2019–2021)`."""
        what = f"{self.title} at {self.organisation}" if self.title else self.organisation
        when = years(self.started_on, self.ended_on, ongoing=self.is_current and not self.ended_on)
        return f"{what} ({when})" if when else what


@dataclass(frozen=True)
class Overlap:
    start: date | None  # None: both there now, since an unknown date
    end: date
    ongoing: bool

    @property
    def days(self) -> int | None:
        return None if self.start is None else (self.end - self.start).days


@dataclass(frozen=True)
class Edge:
    """Evidence that two people know each other.

    LINK: `a` is the link's from_person, `detail` its kind, `note` the user's note.
    INTRODUCTION: `a` introduced `b`. INFERRED: `detail` is the organisation's name and
    `overlap` the time both were there.
    """

    a: int
    b: int
    kind: str
    detail: str = ""
    note: str = ""
    overlap: Overlap | None = None

    @property
    def inferred(self) -> bool:
        return self.kind == INFERRED

    def other(self, person_id: int) -> int:
        return self.b if person_id == self.a else self.a

    def confidence(self) -> float:
        """How sure this evidence alone makes us that they know each other (0–1)."""
        if self.kind == LINK:
            return LINK_CONFIDENCE.get(self.detail, LINK_CONFIDENCE["other"])
        if self.kind == INTRODUCTION:
            return INTRODUCTION_CONFIDENCE
        days = self.overlap.days if self.overlap else None
        if days is not None and days >= LONG_OVERLAP_DAYS:
            return INFERRED_CONFIDENCE
        return INFERRED_SHORT_CONFIDENCE

    def phrase(self, person_id: int, names: Mapping[int, str]) -> str:
        """The evidence as seen from `person_id`'s end: "worked with Ana", "introduced by Ana",
        "probably knows Ana: both at Initech 2019–2021"."""
        other = names.get(self.other(person_id), "someone")
        if self.kind == LINK:
            own, theirs = _LINK_PHRASES.get(self.detail, _LINK_PHRASES["other"])
            text = (own if person_id == self.a else theirs).format(other=other)
            return f"{text} ({self.note})" if self.note else text
        if self.kind == INTRODUCTION:
            if person_id == self.b:
                return f"introduced by {other}"
            return f"introduced {other} to you"
        return f"probably knows {other}: {self.shared()}"

    def shared(self) -> str:
        """For an inferred edge: "both at Initech 2019–2021"."""
        if self.overlap is None:
            return f"both at {self.detail}"
        when = years(self.overlap.start, self.overlap.end, ongoing=self.overlap.ongoing)
        return f"both at {self.detail} {when}".rstrip()


@dataclass(frozen=True)
class Insider:
    """Someone with a role at the organisation (first degree), best roles first."""

    person: Someone
    stints: tuple[Stint, ...]
    score: float

    @property
    def is_current(self) -> bool:
        return any(stint.is_current for stint in self.stints)


@dataclass(frozen=True)
class Path:
    """me → `via` → `target`: someone I know who knows someone at the organisation."""

    via: Someone
    target: Someone
    target_stints: tuple[Stint, ...]  # the target's roles at the organisation, current first
    edges: tuple[Edge, ...]  # every piece of evidence that via knows target, surest first
    tie: float
    score: float

    @property
    def inferred(self) -> bool:
        """Whether the only evidence is inferred (nobody said they know each other)."""
        return all(edge.inferred for edge in self.edges)

    def evidence(self) -> list[str]:
        """Each piece of evidence, from the target's end ("worked with Ana")."""
        names = {self.via.id: self.via.name, self.target.id: self.target.name}
        return [edge.phrase(self.target.id, names) for edge in self.edges]

    def describe(self, today: date) -> str:
        """`me → Ana Ruiz (strength 4, talked 12 days ago) → Bo Li (Product Manager at Acme,
        worked with Ana Ruiz)`."""
        via = f"{self.via.name} (strength {self.via.strength}, {contact_phrase(self.via, today)})"
        role = self.target_stints[0] if self.target_stints else None
        about = []
        if role is not None:
            title = f"{role.title} at {role.organisation}" if role.title else role.organisation
            about.append(title if role.is_current else f"formerly {title}")
        about += self.evidence()[:1]
        return f"me → {via} → {self.target.name} ({', '.join(about)})"


@dataclass(frozen=True)
class OrganisationMatch:
    id: int
    name: str
    score: int  # 0–100; 100 is the same name


@dataclass(frozen=True)
class WhoAtResult:
    """Who I know at an organisation: what the words matched, the people there (first
    degree), and people I know who know someone there (second degree), each best first."""

    query: str
    organisations: tuple[OrganisationMatch, ...] = ()
    insiders: tuple[Insider, ...] = ()
    paths: tuple[Path, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.organisations)


# ---------------------------------------------------------------- scores and phrases


def freshness(last_contact_on: date | None, today: date) -> float:
    """1 for a contact today, halving every FRESHNESS_HALF_LIFE_DAYS; 0 if never."""
    if last_contact_on is None:
        return 0.0
    days = max((today - last_contact_on).days, 0)
    return 0.5 ** (days / FRESHNESS_HALF_LIFE_DAYS)


def warmth(person: Someone, today: date) -> float:
    """How easily you can ask this person for something, 0–1 (see the module docstring)."""
    strength = min(max(person.strength, 0), 5)
    return 0.7 * strength / 5 + 0.3 * freshness(person.last_contact_on, today)


def tie(edges: Iterable[Edge]) -> float:
    """Several independent pieces of evidence: the chance at least one is right."""
    doubt = 1.0
    for edge in edges:
        doubt *= 1.0 - edge.confidence()
    return 1.0 - doubt


def reach(stints: Iterable[Stint]) -> float:
    """1 for someone there now, PAST_REACH for someone who was."""
    return 1.0 if any(stint.is_current for stint in stints) else PAST_REACH


def years(start: date | None, end: date | None, *, ongoing: bool = False) -> str:
    """`2019–2021`, `2020`, `since 2019`, `until 2021`, or "" when nothing is known."""
    if ongoing:
        return f"since {start.year}" if start else "now"
    if start and end:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if start:
        return f"from {start.year}"
    if end:
        return f"until {end.year}"
    return ""


def contact_phrase(person: Someone, today: date) -> str:
    """`talked today`, `talked 12 days ago`, `talked 3 months ago`, `never contacted`."""
    if person.last_contact_on is None:
        return "never contacted"
    days = (today - person.last_contact_on).days
    if days <= 0:
        return "talked today"
    if days == 1:
        return "talked yesterday"
    if days < 60:
        return f"talked {days} days ago"
    if days < 730:
        return f"talked {days // 30} months ago"
    return f"talked {days // 365} years ago"


# ---------------------------------------------------------------- inferring colleagues


def overlap(x: Stint, y: Stint, today: date) -> Overlap | None:
    """When two different people were both at the same organisation, if at least
    MIN_OVERLAP_DAYS and knowable: a past role without an end date, or a role without a
    start (unless both are there now), cannot be placed in time."""
    if x.organisation_id != y.organisation_id or x.person_id == y.person_id:
        return None
    x_now = x.is_current and x.ended_on is None
    y_now = y.is_current and y.ended_on is None
    if x_now and y_now and (x.started_on is None or y.started_on is None):
        starts = [s for s in (x.started_on, y.started_on) if s is not None]
        return Overlap(max(starts) if starts else None, today, ongoing=True)
    x_end = x.ended_on or (today if x_now else None)
    y_end = y.ended_on or (today if y_now else None)
    if x.started_on is None or y.started_on is None or x_end is None or y_end is None:
        return None
    start = max(x.started_on, y.started_on)
    end = min(x_end, y_end)
    if (end - start).days < MIN_OVERLAP_DAYS:
        return None
    return Overlap(start, end, ongoing=x_now and y_now)


@dataclass(frozen=True)
class Window:
    """Whom a role at an organisation can overlap with for MIN_OVERLAP_DAYS: roles there that
    started by `start_by` and ended from `end_from` on (or had no such date), or, when
    `current_only`, roles there now (a role without dates can only overlap those)."""

    organisation_id: int
    start_by: date | None = None
    end_from: date | None = None
    current_only: bool = False


def colleague_windows(stints: Iterable[Stint], *, today: date) -> list[Window]:
    """Per organisation, the roles that could overlap one of `stints` there (a superset:
    `overlap` decides): so that only those need loading."""
    spans: dict[int, list[tuple[date, date]]] = defaultdict(list)
    now: set[int] = set()
    for stint in stints:
        here_now = stint.is_current and stint.ended_on is None
        end = stint.ended_on or (today if here_now else None)
        if stint.started_on is not None and end is not None:
            spans[stint.organisation_id].append((stint.started_on, end))
        elif here_now:
            now.add(stint.organisation_id)
    windows = []
    for organisation_id in sorted(spans.keys() | now):
        dated = spans.get(organisation_id)
        if dated:
            start_by = max(end for _, end in dated) - timedelta(days=MIN_OVERLAP_DAYS)
            end_from = min(start for start, _ in dated) + timedelta(days=MIN_OVERLAP_DAYS)
            windows.append(Window(organisation_id, start_by, end_from))
        if organisation_id in now:
            windows.append(Window(organisation_id, current_only=True))
    return windows


def colleague_edges(stints: Iterable[Stint], others: Iterable[Stint], *, today: date) -> list[Edge]:
    """Inferred edges between the people of `stints` and those of `others` who were at the
    same organisation at the same time (one edge per overlapping pair of roles)."""
    by_organisation: dict[int, list[Stint]] = defaultdict(list)
    for other in others:
        by_organisation[other.organisation_id].append(other)
    edges = []
    for stint in stints:
        for other in by_organisation.get(stint.organisation_id, ()):
            found = overlap(stint, other, today)
            if found is not None:
                edges.append(
                    Edge(stint.person_id, other.person_id, INFERRED, stint.organisation, "", found)
                )
    return edges


# ---------------------------------------------------------------- ranking


def _stint_order(stint: Stint) -> tuple:
    return (not stint.is_current, -(stint.started_on or date.min).toordinal(), stint.title)


def _person_order(person: Someone) -> tuple:
    return (
        -person.strength,
        -(person.last_contact_on or date.min).toordinal(),
        person.name.casefold(),
        person.id,
    )


def rank_insiders(
    people: Mapping[int, Someone], stints: Iterable[Stint], *, today: date
) -> list[Insider]:
    """The people of `stints` (their roles at the organisation), best first: warmth × reach."""
    by_person: dict[int, list[Stint]] = defaultdict(list)
    for stint in stints:
        if stint.person_id in people:
            by_person[stint.person_id].append(stint)
    insiders = []
    for person_id, own in by_person.items():
        person = people[person_id]
        own.sort(key=_stint_order)
        insiders.append(Insider(person, tuple(own), warmth(person, today) * reach(own)))
    insiders.sort(key=lambda i: (-i.score, not i.is_current, *_person_order(i.person)))
    return insiders


def worth_reaching(
    people: Mapping[int, Someone],
    stints: Iterable[Stint],
    *,
    today: date,
    limit: int = MAX_TARGETS,
) -> list[int]:
    """The ids of at most `limit` of `people` (at the organisation) that a path would add most
    to: the target's own factors of a path's score, reach × (1 − warmth), best first."""
    if len(people) <= limit:
        return list(people)
    current = {stint.person_id for stint in stints if stint.is_current}

    def gain(person: Someone) -> tuple:
        value = (1.0 if person.id in current else PAST_REACH) * (1.0 - warmth(person, today))
        return (-value, person.id)

    return [person.id for person in sorted(people.values(), key=gain)[:limit]]


def rank_paths(
    *,
    targets: Mapping[int, Someone],
    target_stints: Iterable[Stint],
    contacts: Mapping[int, Someone],
    edges: Iterable[Edge],
    today: date,
    limit: int = 50,
    per_target: int = PATHS_PER_TARGET,
) -> list[Path]:
    """Paths me → A → B, B one of `targets` (people at the organisation) and A one of
    `contacts` (people not there), best first; at most `per_target` per target."""
    stints_of: dict[int, list[Stint]] = defaultdict(list)
    for stint in target_stints:
        stints_of[stint.person_id].append(stint)
    evidence: dict[tuple[int, int], list[Edge]] = defaultdict(list)
    for edge in edges:
        for near, far in ((edge.a, edge.b), (edge.b, edge.a)):
            if far in targets and near in contacts and near not in targets:
                evidence[(near, far)].append(edge)
    paths = []
    for (via_id, target_id), found in evidence.items():
        via, target = contacts[via_id], targets[target_id]
        if via.do_not_contact or target.do_not_contact:
            continue
        via_warmth = warmth(via, today)
        if via_warmth <= 0:
            continue
        own = sorted(stints_of.get(target_id, ()), key=_stint_order)
        strength_of_tie = tie(found)
        score = via_warmth * strength_of_tie * reach(own) * (1.0 - warmth(target, today))
        if score <= 0:
            continue
        found.sort(key=lambda e: (-e.confidence(), e.kind, e.detail))
        paths.append(Path(via, target, tuple(own), tuple(found), strength_of_tie, score))
    paths.sort(
        key=lambda p: (-p.score, *_person_order(p.via), p.target.name.casefold(), p.target.id)
    )
    kept: list[Path] = []
    per: dict[int, int] = defaultdict(int)
    for path in paths:
        if per[path.target.id] < per_target:
            per[path.target.id] += 1
            kept.append(path)
            if len(kept) >= limit:
                break
    return kept
