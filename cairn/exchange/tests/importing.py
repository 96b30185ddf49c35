"""Test helpers for imports: records built directly, and a reader that hands them back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cairn.exchange.records import (
    ImportFileError,
    IncomingContact,
    IncomingInteraction,
    IncomingPerson,
    IncomingRole,
    OwnPosition,
    ParsedImport,
    PersonRef,
    Problem,
)

SOURCE = "Connections.csv"


def person(row: int, name: str, *, url: str = "", email: str = "", org: str = "", title: str = "",
           **values) -> IncomingPerson:  # fmt: skip
    contacts = []
    if url:
        contacts.append(IncomingContact("link", url, "LinkedIn"))
    if email:
        contacts.append(IncomingContact("email", email))
    roles = [IncomingRole(org, title)] if org else []
    return IncomingPerson(SOURCE, row, name, contacts=contacts, roles=roles, **values)


def message(row: int, on: date, summary: str, *refs: PersonRef, thread: str = "t1",
            direction: str = "out") -> IncomingInteraction:  # fmt: skip
    return IncomingInteraction(
        "messages.csv", row, on, "message", direction, summary, list(refs), thread=thread
    )  # type: ignore[arg-type]


class FakeReader:
    """Stands in for `cairn.exchange.formats.read`: gives back the same records each time."""

    def __init__(self, people=(), interactions=(), positions=(), problems=(), fail=None):
        self.people = list(people)
        self.interactions = list(interactions)
        self.positions: list[OwnPosition] = list(positions)
        self.problems: list[Problem] = list(problems)
        self.fail = fail
        self.calls = 0

    def __call__(self, path: Path, *, format: str = "auto", name: str | None = None):
        self.calls += 1
        if self.fail:
            raise ImportFileError(name or path.name, self.fail)
        return ParsedImport(
            format="linkedin" if format == "auto" else format,
            source=name or path.name,
            people=iter(list(self.people)),
            interactions=iter(list(self.interactions)),
            positions=list(self.positions),
            problems=list(self.problems),
        )


def upload(tmp_path: Path, name: str = SOURCE) -> Path:
    path = tmp_path / name
    path.write_text("First Name,Last Name\n")
    return path
