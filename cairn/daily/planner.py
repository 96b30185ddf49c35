"""Choose today's few actions from every candidate (pure: dataclasses in, ranked list out).

The order is urgency × importance, then three adjustments so that a day feels balanced:
keys the user has snoozed, skipped or done are left out; no kind takes every slot while
other kinds wait; and when there is something to give, at least one slot is a give.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cairn.daily.providers import Candidate


@dataclass(frozen=True)
class Plan:
    chosen: list[Candidate]
    more: list[Candidate]


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Best first: higher score, then more urgent, then by key so equal scores are stable."""
    return sorted(candidates, key=_order)


def _order(c: Candidate) -> tuple:
    # Every field takes part so that the same input in any order gives the same plan.
    person = -1 if c.person_id is None else c.person_id
    return (
        -c.score,
        -c.urgency,
        -c.importance,
        c.kind,
        c.key,
        not c.is_give,
        person,
        c.title,
        c.why,
        c.url,
    )


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per key (the best-scored one) and, for a person, one item per person."""
    seen_keys: set[str] = set()
    seen_people: set[int] = set()
    kept = []
    for candidate in rank(candidates):
        if candidate.key in seen_keys:
            continue
        if candidate.person_id is not None and candidate.person_id in seen_people:
            continue
        seen_keys.add(candidate.key)
        if candidate.person_id is not None:
            seen_people.add(candidate.person_id)
        kept.append(candidate)
    return kept


def _with_a_give(pool: list[Candidate], eligible: list[Candidate]) -> list[Candidate]:
    """Keep the best give in the pool even when a stronger item about the same person (or
    with the same key) hid it: for that person, giving is the better way to be in touch."""
    if any(c.is_give for c in pool):
        return pool
    give = next((c for c in rank(eligible) if c.is_give), None)
    if give is None:
        return pool
    return rank(
        [
            c
            for c in pool
            if c.key != give.key and (c.person_id is None or c.person_id != give.person_id)
        ]
        + [give]
    )


def max_per_kind(limit: int) -> int:
    """How many slots one kind may take when other kinds have candidates too."""
    return max(1, (limit + 1) // 2)


def plan(
    candidates: Sequence[Candidate],
    *,
    limit: int,
    excluded: Iterable[str] = (),
    more_limit: int = 10,
) -> Plan:
    """At most `limit` actions for today, and up to `more_limit` more "if you have time"."""
    if limit < 1:
        return Plan([], [])
    excluded = set(excluded)
    eligible = [c for c in candidates if c.key not in excluded]
    pool = _with_a_give(_unique(eligible), eligible)
    cap = max_per_kind(limit)
    chosen: list[Candidate] = []
    per_kind: dict[str, int] = {}
    # First pass respects the per-kind cap; a second pass fills what is left with anything.
    for candidate in pool:
        if len(chosen) == limit:
            break
        if per_kind.get(candidate.kind, 0) < cap:
            chosen.append(candidate)
            per_kind[candidate.kind] = per_kind.get(candidate.kind, 0) + 1
    for candidate in pool:
        if len(chosen) == limit:
            break
        if candidate not in chosen:
            chosen.append(candidate)
    if not any(c.is_give for c in chosen):
        give = next((c for c in pool if c.is_give), None)
        if give is not None:
            chosen = _make_room(chosen, give, limit)
    chosen = rank(chosen)
    rest = [c for c in pool if c not in chosen]
    return Plan(chosen=chosen, more=rest[:more_limit])


def _make_room(chosen: list[Candidate], give: Candidate, limit: int) -> list[Candidate]:
    """Add `give`, dropping the weakest item whose removal keeps the day varied."""
    if len(chosen) < limit:
        return [*chosen, give]
    ranked = rank(chosen)
    for weakest in reversed(ranked):
        kept = [c for c in ranked if c is not weakest] + [give]
        if len({c.kind for c in kept}) > 1 or len({c.kind for c in ranked}) == 1:
            return kept
    return [*ranked[:-1], give]
