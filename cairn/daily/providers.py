"""The registry Today draws its candidates from.

Each app registers providers for the kinds of action it knows about (the network: follow-ups,
keep in touch, congratulations …). `daily` never imports those apps: a new capability adds
candidates by registering here, without touching the planner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

Provider = Callable[[Any, date], list["Candidate"]]

_PROVIDERS: dict[str, Provider] = {}


@dataclass(frozen=True)
class Candidate:
    """One possible action for today, with its reason in plain words.

    `key` is stable across days ("keep_in_touch:person:42") so that a snooze or a skip can be
    remembered; `urgency` and `importance` are each between 0 and 1.
    """

    kind: str
    key: str
    title: str
    why: str
    urgency: float
    importance: float
    person_id: int | None = None
    url: str = ""
    is_give: bool = False
    action: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def score(self) -> float:
        return self.urgency * self.importance


def register(kind: str) -> Callable[[Provider], Provider]:
    """Register `provider(user, today) -> list[Candidate]` under `kind` (one per kind)."""

    def decorator(provider: Provider) -> Provider:
        _PROVIDERS[kind] = provider
        return provider

    return decorator


def providers() -> dict[str, Provider]:
    """Every registered provider, by kind."""
    return dict(_PROVIDERS)


def candidates_for(user: Any, today: date) -> list[Candidate]:
    """Every candidate from every provider, in kind order (so the result is deterministic)."""
    found: list[Candidate] = []
    for kind in sorted(_PROVIDERS):
        found.extend(_PROVIDERS[kind](user, today))
    return found


# What doing an item means depends on its kind (log a conversation, mark a follow-up done,
# lengthen someone's cadence): the app that made the candidate says, through a handler.
Handler = Callable[..., Any]
_HANDLERS: dict[tuple[str, str], Handler] = {}
ACTIONS = ("done", "less_often")


def handles(action: str, *kinds: str) -> Callable[[Handler], Handler]:
    """Register `handler(*, user, person_id, action, note, today)` for `action` on `kinds`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    def decorator(handler: Handler) -> Handler:
        for kind in kinds:
            _HANDLERS[(action, kind)] = handler
        return handler

    return decorator


def handler_for(action: str, kind: str) -> Handler | None:
    """The handler an app registered for this action on this kind, if any."""
    return _HANDLERS.get((action, kind))
