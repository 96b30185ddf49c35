"""Keeping the search index in step with the network (documents for people, organisations and
interactions). The index itself lives in cairn.core.search."""

from __future__ import annotations

from collections.abc import Iterable


def sync_people(user, ids: Iterable[int]) -> None:
    """Re-index these people (or drop them from the index when gone, archived or binned)."""


def sync_organisations(user, ids: Iterable[int]) -> None:
    """Re-index these organisations."""


def sync_interactions(user, ids: Iterable[int]) -> None:
    """Re-index these interactions."""


def remove(user, kind: str, ids: Iterable[int]) -> None:
    """Drop documents from the index."""
