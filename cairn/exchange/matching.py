"""Who an incoming contact is (pure): matching imported people against the network and against
each other, and working out what a merge would change.

Order of evidence: the same email address, then the same profile link (LinkedIn URLs are
compared by their `/in/<name>` part only: scheme, `www.`, country subdomains, trailing slashes,
locale suffixes and query strings do not count), then the same phone number. Those are exact
matches and merge. Failing them, a similar name, lifted by a shared organisation, is only
*proposed*: the person decides.

Fuzzy matching 30k incoming rows against 20k people must not compare every pair. The index
files people under pairs of word prefixes ("ana ruiz" under ("an", "ru")), so a two-word name
only meets the handful of people sharing two word starts with it; one-word names fall back to
single prefixes, as `cairn.network.matching.NameIndex` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Literal
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from rapidfuzz import fuzz, process

from cairn.exchange.records import IncomingPerson, PartialDate
from cairn.network import contacts
from cairn.network.matching import (
    DUPLICATE_THRESHOLD,
    LABEL_THRESHOLD,
    ORGANISATION_BOOST,
    PREFIX,
    name_score,
    name_words,
    organisation_words,
)

# Person fields an import may fill, with their database lengths.
TEXT_FIELDS = {"given_name": 100, "family_name": 100, "headline": 200, "location": 200}
FIELD_LABELS = {
    "given_name": "given name", "family_name": "family name", "headline": "headline",
    "location": "location", "met_on": "met on", "birthday": "birthday",
}  # fmt: skip
PROPOSE_THRESHOLD = DUPLICATE_THRESHOLD
PREFILTER_MARGIN = 5
MAX_SCORED = 50
MAX_ALTERNATIVES = 3
_LOCALE = re.compile(r"^[a-z]{2}([-_][a-z]{2})?$", re.IGNORECASE)
_LINKEDIN_HOST = re.compile(r"^([a-z]{2,3}\.)?linkedin\.com$")
# The common shape of a profile link, read without the (slow) general URL validation.
_PROFILE = re.compile(
    r"^(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([a-z0-9_-]+)(?:/[a-z_-]*)?/?$",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- keys


@lru_cache(maxsize=1 << 16)
def email_key(value: str) -> str | None:
    """The address as the network stores it (lower case), or None when it is no address."""
    try:
        return contacts.normalize_email(value)
    except ValidationError:
        return None


@lru_cache(maxsize=1 << 16)
def phone_key(value: str) -> str | None:
    """E.164, or None when the number has no country code or is no number."""
    try:
        return contacts.normalize_phone(value)
    except ValidationError:
        return None


@lru_cache(maxsize=1 << 16)
def link_key(value: str) -> str | None:
    """What identifies a link: for LinkedIn profiles `linkedin.com/in/<name>` in lower case
    (`https://uk.linkedin.com/in/Ana-Ruiz/fr?trk=x` → `linkedin.com/in/ana-ruiz`), for any
    other link the normalised URL without its scheme. None when it is no web address."""
    simple = _PROFILE.match(value.strip())
    if simple:
        return f"linkedin.com/{simple[1].lower()}/{simple[2].lower()}"
    return link_key_general(value)


def link_key_general(value: str) -> str | None:
    """`link_key` without its shortcut for the common shape of profile links."""
    try:
        normalized = contacts.normalize_url(value)
    except ValidationError:
        return None
    rest = normalized.removeprefix("https://")
    host, _, path = rest.partition("/")
    if _LINKEDIN_HOST.match(host):
        path = path.split("?", 1)[0]
        parts = [unquote(part) for part in path.split("/") if part]
        if len(parts) >= 2 and parts[0].lower() in ("in", "pub", "company", "school"):
            return f"linkedin.com/{parts[0].lower()}/{parts[1].lower()}"
        if parts and _LOCALE.match(parts[-1]):
            parts = parts[:-1]
        return "linkedin.com/" + "/".join(parts).lower()
    return rest


def contact_key(kind: str, value: str) -> str | None:
    """The matching key of a contact point by kind ("email", "phone", "link")."""
    if kind == "email":
        return email_key(value)
    if kind == "phone":
        return phone_key(value)
    if kind == "link":
        return link_key(value)
    return None


def incoming_keys(person: IncomingPerson) -> list[tuple[str, str]]:
    """(kind, key) of every usable contact of an incoming person, in evidence order."""
    keys: list[tuple[str, str]] = []
    for kind in ("email", "link", "phone"):
        for item in person.contacts:
            if item.kind != kind:
                continue
            key = contact_key(kind, item.value)
            if key and (kind, key) not in keys:
                keys.append((kind, key))
    return keys


def full_name_of(person: IncomingPerson) -> str:
    """The name to use: the full name, else given and family name joined."""
    name = " ".join(person.full_name.split())
    if not name:
        name = " ".join(f"{person.given_name} {person.family_name}".split())
    return name


# ---------------------------------------------------------------- the network's side


@dataclass
class Existing:
    """A person already in the network, as much as matching and merging need."""

    id: int
    full_name: str
    values: dict[str, object] = field(default_factory=dict)  # TEXT_FIELDS, met_on, birthday_*
    contact_keys: set[tuple[str, str]] = field(default_factory=set)
    organisations: list[str] = field(default_factory=list)
    roles: set[tuple[str, str]] = field(default_factory=set)  # (folded organisation, title)
    circles: set[str] = field(default_factory=set)  # casefolded names


def _pair_keys(words: Sequence[str]) -> set[tuple[str, str]]:
    """Pairs of word starts ("kalo kamir" gives ("ka", "ka"))."""
    return set(combinations(sorted(word[:PREFIX] for word in words), 2))


class PeopleIndex:
    """Everyone in the network, filed for exact look-ups by contact and for blocked fuzzy
    look-ups by name. Built once per import; `add` files people as they are planned, so
    that a file naming someone twice finds the first mention."""

    def __init__(self, people: Iterable[Existing] = ()):
        self.people: dict[int, Existing] = {}
        self.by_contact: dict[tuple[str, str], int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.words: dict[int, tuple[str, ...]] = {}
        self.keys: dict[int, str] = {}
        self.pairs: dict[tuple[str, str], list[int]] = {}
        self.singles: dict[str, list[int]] = {}
        self.starts: dict[str, list[int]] = {}  # every word start: for one-word look-ups
        for person in people:
            self.add(person)

    def __len__(self) -> int:
        return len(self.people)

    def add(self, person: Existing) -> None:
        self.people[person.id] = person
        for key in person.contact_keys:
            self.by_contact.setdefault(key, person.id)
        words = tuple(name_words(person.full_name))
        if not words:
            return
        self.words[person.id] = words
        self.keys[person.id] = " ".join(words)
        self.by_name.setdefault(" ".join(words), []).append(person.id)
        if len(words) == 1:
            self.singles.setdefault(words[0][:PREFIX], []).append(person.id)
        for start in {word[:PREFIX] for word in words}:
            self.starts.setdefault(start, []).append(person.id)
        for pair in _pair_keys(words):
            self.pairs.setdefault(pair, []).append(person.id)

    def add_contact(self, person_id: int, key: tuple[str, str]) -> None:
        self.people[person_id].contact_keys.add(key)
        self.by_contact.setdefault(key, person_id)

    def block(self, words: Sequence[str]) -> set[int]:
        """Ids of the people who may be named `words`: sharing two word starts, or (for
        one-word names on either side) one."""
        found: set[int] = set()
        if len(words) == 1:  # rare: a one-word name meets everyone with that word start
            found.update(self.starts.get(words[0][:PREFIX], ()))
            return found
        for pair in _pair_keys(words):
            found.update(self.pairs.get(pair, ()))
        for prefix in {word[:PREFIX] for word in words}:
            found.update(self.singles.get(prefix, ()))
        return found


# ---------------------------------------------------------------- matching


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    score: int
    reason: str


@dataclass(frozen=True)
class MatchResult:
    """How an incoming person relates to the network.

    kind: "exact" (same email, link or phone: merge), "proposed" (similar name: ask),
    "conflict" (contacts that point to different people: ask), "none" (someone new)."""

    kind: Literal["exact", "proposed", "conflict", "none"]
    candidates: tuple[Candidate, ...] = ()

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def match_person(person: IncomingPerson, index: PeopleIndex) -> MatchResult:
    """Match one incoming person against the index (see the module docstring)."""
    owners: dict[int, str] = {}
    for kind, key in incoming_keys(person):
        pk = index.by_contact.get((kind, key))
        if pk is not None and pk not in owners:
            owners[pk] = f"same {'profile link' if kind == 'link' else kind} {key}"
    if owners:
        candidates = tuple(
            Candidate(pk, index.people[pk].full_name, 100, reason) for pk, reason in owners.items()
        )
        return MatchResult("exact" if len(candidates) == 1 else "conflict", candidates)
    name = full_name_of(person)
    words = name_words(name)
    if not words:
        return MatchResult("none")
    organisations = [role.organisation for role in person.roles if role.organisation]
    found: list[Candidate] = []
    block = index.block(words)
    if not block:
        return MatchResult("none")
    # rapidfuzz narrows the block in C (a subset of words scores 100, so "Ana" still meets
    # "Ana Ruiz"); name_score, in Python, then decides on the few left.
    keys = {pk: index.keys[pk] for pk in block}
    floor = PROPOSE_THRESHOLD - ORGANISATION_BOOST - PREFILTER_MARGIN
    # At most MAX_SCORED go on, so that a file of near-identical names stays linear.
    near = process.extract(
        " ".join(words), keys, scorer=fuzz.token_set_ratio, score_cutoff=floor, limit=MAX_SCORED
    )
    for _, _, pk in near:
        score = name_score(words, index.words[pk])
        if score < PROPOSE_THRESHOLD - ORGANISATION_BOOST:
            continue
        existing = index.people[pk]
        reason = "same name" if score == 100 else "similar name"
        shared = _shared_organisation(organisations, existing.organisations)
        if shared:
            score = min(100, score + ORGANISATION_BOOST)
            reason += f", also at {shared}"
        if score >= PROPOSE_THRESHOLD:
            found.append(Candidate(pk, existing.full_name, score, reason))
    if not found:
        return MatchResult("none")
    found.sort(key=lambda c: (-c.score, c.person_id))
    return MatchResult("proposed", tuple(found[:MAX_ALTERNATIVES]))


def _shared_organisation(mine: Sequence[str], theirs: Sequence[str]) -> str:
    """The first of `theirs` that is one of `mine` (as `organisation_score` sees it)."""
    for organisation in mine:
        key = _organisation_key(organisation)
        for other in theirs:
            other_key = _organisation_key(other)
            if (
                key
                and other_key
                and (
                    key == other_key
                    or fuzz.token_set_ratio(key, other_key, score_cutoff=LABEL_THRESHOLD - 0.5)
                )
            ):
                return other
    return ""


@lru_cache(maxsize=1 << 14)
def _organisation_key(name: str) -> str:
    return " ".join(organisation_words(name))


# ---------------------------------------------------------------- merging


@dataclass
class MergePlan:
    """What merging an incoming person into an existing one changes. Incoming values only
    fill empty fields; a different non-empty value is a conflict, listed and left alone."""

    fills: dict[str, object] = field(default_factory=dict)
    conflicts: dict[str, tuple[object, object]] = field(default_factory=dict)  # (have, file)
    contacts: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # kind, value, label, key
    roles: list[tuple[str, str]] = field(default_factory=list)  # organisation, title
    circles: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.fills or self.contacts or self.roles or self.circles)

    def as_dict(self) -> dict:
        return {
            "fills": {FIELD_LABELS.get(k, k): _shown(value) for k, value in self.fills.items()},
            "conflicts": {
                FIELD_LABELS.get(k, k): [_shown(have), _shown(new)]
                for k, (have, new) in self.conflicts.items()
            },
            "contacts": [value for _, value, _, _ in self.contacts],
            "roles": [" at ".join(part for part in (t, o) if part) for o, t in self.roles],
            "circles": list(self.circles),
        }


def _shown(value: object) -> str:
    if isinstance(value, PartialDate):
        return birthday_text(value)
    return "" if value is None else str(value)


def birthday_text(value: PartialDate) -> str:
    """A partial date as `--MM-DD` or `YYYY-MM-DD`."""
    year = f"{value.year:04d}" if value.year else "-"
    return f"{year}-{value.month:02d}-{value.day:02d}"


def incoming_values(person: IncomingPerson) -> dict[str, object]:
    """The person fields an incoming record carries, cleaned and cut to length."""
    values: dict[str, object] = {}
    for name, length in TEXT_FIELDS.items():
        text = " ".join(str(getattr(person, name)).split())[:length]
        if text:
            values[name] = text
    if person.connected_on:
        values["met_on"] = person.connected_on
    if person.birthday and valid_birthday(person.birthday):
        values["birthday"] = person.birthday
    return values


def valid_birthday(value: PartialDate) -> bool:
    """Whether month and day exist (29 February included) and the year is plausible."""
    from calendar import monthrange

    if not 1 <= value.month <= 12:
        return False
    if value.year is not None and not 1800 <= value.year <= 2200:
        return False
    return 1 <= value.day <= monthrange(value.year or 2000, value.month)[1]


def plan_merge(existing: Existing, person: IncomingPerson) -> MergePlan:
    """Work out what merging `person` into `existing` would change (see `MergePlan`)."""
    plan = MergePlan()
    have = existing.values
    for key, value in incoming_values(person).items():
        if key == "birthday":
            assert isinstance(value, PartialDate)
            current = have.get("birthday")
            assert current is None or isinstance(current, PartialDate)
            if current is None:
                plan.fills[key] = value
            elif (current.month, current.day) != (value.month, value.day) or (
                current.year and value.year and current.year != value.year
            ):
                plan.conflicts[key] = (current, value)
            elif value.year and not current.year:
                plan.fills[key] = value
            continue
        held = have.get(key)
        if held in (None, ""):
            plan.fills[key] = value
        elif _differs(held, value):
            plan.conflicts[key] = (held, value)
    for item in person.contacts:
        found = contact_key(item.kind, item.value)
        if found is None or (item.kind, found) in existing.contact_keys:
            continue
        if all(k != found or kd != item.kind for kd, _, _, k in plan.contacts):
            plan.contacts.append((item.kind, item.value.strip(), item.label, found))
    for role in person.roles:
        organisation = " ".join(role.organisation.split())
        if not organisation:
            continue
        title = " ".join(role.title.split())
        folded = " ".join(organisation_words(organisation))
        known = any(
            org == folded and (not title or t.casefold() == title.casefold())
            for org, t in existing.roles
        )
        if not known and (organisation, title) not in plan.roles:
            plan.roles.append((organisation, title))
    for circle in person.circles:
        circle = " ".join(circle.split())[:80]
        folded = circle.casefold()
        if circle and folded not in existing.circles and folded not in plan_circles(plan):
            plan.circles.append(circle)
    return plan


def plan_circles(plan: MergePlan) -> set[str]:
    return {c.casefold() for c in plan.circles}


def _differs(current: object, value: object) -> bool:
    if isinstance(current, str) and isinstance(value, str):
        return " ".join(current.split()).casefold() != value.casefold()
    return current != value


def role_key(organisation: str, title: str) -> tuple[str, str]:
    """How roles are compared: the organisation without legal forms, the title as written."""
    return (" ".join(organisation_words(organisation)), title)
