"""What every importer produces: plain records, in the file's order, before any matching.

A reader (LinkedIn, Google, Outlook, vCard) turns bytes into these records and knows nothing
of the database; the import pipeline matches them against the user's network, previews and
commits them. Every record says where it came from (`source` file name, `row` number as a
person would count it in that file) so that any problem can name file, row and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

Format = Literal["linkedin", "google", "outlook", "vcard", "archive"]
FORMATS: tuple[str, ...] = ("linkedin", "google", "outlook", "vcard", "archive")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, wrong format, missing column).

    The message is for the person: it names the file and what is wrong. Nothing is written.
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One bad row (the others stay importable) or one warning about the file."""

    source: str
    row: int | None
    field: str
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.source if self.row is None else f"{self.source}, row {self.row}"
        return f"{where}, {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass(frozen=True)
class PartialDate:
    """A date whose year may be unknown (a birthday exported as `--03-31` or `Mar 31`)."""

    month: int
    day: int
    year: int | None = None


@dataclass
class IncomingContact:
    """An email address, phone number or link (profile URL, website) of a person."""

    kind: Literal["email", "phone", "link"]
    value: str
    label: str = ""  # "work", "home", "LinkedIn", "mobile" … as the file says it
    primary: bool = False


@dataclass
class IncomingRole:
    organisation: str
    title: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    is_current: bool = True


@dataclass
class IncomingPerson:
    source: str
    row: int
    full_name: str
    given_name: str = ""
    family_name: str = ""
    headline: str = ""
    location: str = ""
    notes: str = ""
    connected_on: date | None = None  # LinkedIn "Connected On": when we met, as far as known
    birthday: PartialDate | None = None
    contacts: list[IncomingContact] = field(default_factory=list)
    roles: list[IncomingRole] = field(default_factory=list)
    circles: list[str] = field(default_factory=list)  # Google labels, vCard CATEGORIES …
    favourite: bool = False  # Google "* starred"
    # What the file said that Cairn has no field for (kept, shown in the preview, and for
    # vCard the card's original text so unknown properties survive a round trip).
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class PersonRef:
    """How a message or invitation names the other person; matched like an incoming person."""

    name: str = ""
    profile_url: str = ""
    email: str = ""


@dataclass
class IncomingInteraction:
    source: str
    row: int
    occurred_on: date
    kind: Literal["message", "email", "other"]
    direction: Literal["in", "out", "both"]
    summary: str
    with_people: list[PersonRef] = field(default_factory=list)
    occurred_at: time | None = None
    notes: str = ""
    thread: str = ""  # messages of one conversation share it; the pipeline groups them


@dataclass
class OwnPosition:
    """A role in the user's own history (LinkedIn Positions.csv)."""

    source: str
    row: int
    organisation: str
    title: str = ""
    description: str = ""
    location: str = ""
    started_on: date | None = None
    ended_on: date | None = None


@dataclass
class ParsedImport:
    """Everything one file (or one archive of files) holds, plus what could not be read.

    `people` and `interactions` are iterators so a 50k-row file is never all in memory at
    once; `problems` fills as they are consumed. `skipped` lists files of an archive that
    Cairn does not import (with the reason), which are not errors.
    """

    format: str
    source: str
    people: Iterator[IncomingPerson]
    interactions: Iterator[IncomingInteraction]
    positions: list[OwnPosition] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
