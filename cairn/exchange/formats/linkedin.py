"""LinkedIn's "Get a copy of your data" export: the zip, the unzipped folder, or one file.

Files are recognised by name (any case, any folder, split into `_1 … _5`), each is decoded
on its own, and a file that cannot be read becomes a Problem while the others are read.
Connections become people (the profile URL is the key: emails are mostly missing), messages
and invitations become interactions, Positions.csv becomes the user's own history.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypeVar

import nh3

from cairn.exchange.formats import dates
from cairn.exchange.formats.text import Opener, Row, Table, open_table
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

T = TypeVar("T")

MAX_MEMBERS = 5000
MAX_TOTAL_BYTES = 1024**3  # uncompressed, all members together
MAX_MEMBER_BYTES = 512 * 1024**2
MAX_RATIO = 200  # uncompressed ÷ compressed, above which a large member is a zip bomb
SUMMARY_LENGTH = 80

CONNECTIONS = {
    "first name",
    "last name",
    "url",
    "email address",
    "company",
    "position",
    "connected on",
}
MESSAGES = {
    "conversation id",
    "conversation title",
    "from",
    "sender profile url",
    "to",
    "recipient profile urls",
    "date",
    "subject",
    "content",
    "folder",
    "direction",
}
INVITATIONS = {
    "from",
    "to",
    "sent at",
    "message",
    "direction",
    "inviterprofileurl",
    "inviteeprofileurl",
}
POSITIONS = {"company name", "title", "description", "location", "started on", "finished on"}
PROFILE = {
    "first name",
    "last name",
    "maiden name",
    "birth date",
    "headline",
    "summary",
    "industry",
    "geo location",
}
KNOWN = CONNECTIONS | MESSAGES | INVITATIONS | POSITIONS | PROFILE

KINDS = ("connections", "messages", "invitations", "positions", "profile")
KNOWN_BY_KIND = {
    "connections": CONNECTIONS,
    "messages": MESSAGES,
    "invitations": INVITATIONS,
    "positions": POSITIONS,
    "profile": PROFILE,
}
REQUIRED = {
    "connections": (("first name",), ("last name",)),
    "messages": (("from",), ("date",), ("content",)),
    "invitations": (("from",), ("to",), ("sent at",), ("direction",)),
    "positions": (("company name",), ("started on",)),
    "profile": (("first name",), ("last name",)),
}


def kind_of_header(header: set[str]) -> str | None:
    """Which LinkedIn file a CSV header belongs to, if any."""
    if "connected on" in header and ("first name" in header or "url" in header):
        return "connections"
    if {"conversation id", "content"} <= header or {"from", "content", "direction"} <= header:
        return "messages"
    if {"sent at", "direction"} <= header:
        return "invitations"
    if {"company name", "started on"} <= header and "title" in header:
        return "positions"
    if {"first name", "last name", "headline"} <= header:
        return "profile"
    return None


def kind_of_name(path: str) -> str | None:
    """`Connections.csv`, `messages_2.csv`, `Phone Numbers.csv` → the file's kind."""
    stem = PurePosixPath(path).name.lower()
    if not stem.endswith(".csv"):
        return None
    stem = re.sub(r"[_ -]?\(?\d+\)?$", "", stem.removesuffix(".csv"))
    stem = re.sub(r"[\s_-]+", "", stem)
    return stem if stem in KINDS else None


# Where the files come from ------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One file of an archive or folder, opened on demand."""

    path: str  # inside the archive or folder, with forward slashes
    opener: Opener
    size: int


def zip_members(opener: Opener, source: str) -> list[Member]:
    """The archive's files, refusing archives too large or too many to be an export."""
    try:
        with opener() as stream, zipfile.ZipFile(stream) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(source, f"This zip file cannot be opened ({error}).") from None
    if len(infos) > MAX_MEMBERS:
        raise ImportFileError(
            source, f"The zip holds {len(infos)} files; a LinkedIn export holds far fewer."
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise ImportFileError(
            source, f"The zip would unpack to {total // 1024**2} MB, more than Cairn accepts."
        )
    members = []
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > MAX_MEMBER_BYTES
        if too_big or (info.file_size > 10 * 1024**2 and ratio > MAX_RATIO):
            raise ImportFileError(
                source,
                f"{info.filename} would unpack to {info.file_size // 1024**2} MB; "
                "this does not look like a LinkedIn export.",
            )
        members.append(Member(info.filename, _zip_opener(opener, info), info.file_size))
    return members


def zip_names(opener: Opener) -> list[str]:
    """The member names of a zip, or [] if it cannot be opened."""
    try:
        with opener() as stream, zipfile.ZipFile(stream) as archive:
            return archive.namelist()[: MAX_MEMBERS + 1]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return []


def _zip_opener(opener: Opener, info: zipfile.ZipInfo) -> Opener:
    def open_member() -> IO[bytes]:
        stream = opener()
        try:
            archive = zipfile.ZipFile(stream)
            member = archive.open(info)
        except Exception as error:  # BadZipFile, a negative seek, an unsupported method …
            stream.close()
            raise OSError(f"the zip is damaged ({error})") from None
        return io.BufferedReader(_ZipMember(stream, archive, member))

    return open_member


class _ZipMember(io.RawIOBase):
    """A member's stream that also closes its archive and the file under it."""

    def __init__(self, stream: IO[bytes], archive: zipfile.ZipFile, member: IO[bytes]) -> None:
        super().__init__()
        self._stream = stream
        self._archive = archive
        self._member = member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._member.read(len(buffer))
        except Exception as error:  # zlib.error, BadZipFile (CRC), EOFError …
            raise OSError(f"the zip is damaged ({error})") from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._member.close()
            self._archive.close()
            self._stream.close()
        super().close()


def folder_members(path: Path) -> list[Member]:
    """The files of an unzipped export, in any subfolder."""
    members: list[Member] = []
    for file in sorted(path.rglob("*")):
        if file.is_file():
            if len(members) >= MAX_MEMBERS:
                raise ImportFileError(path.name, "The folder holds too many files.")
            members.append(
                Member(
                    file.relative_to(path).as_posix(),
                    _file_opener(file),
                    file.stat().st_size,
                )
            )
    return members


def _file_opener(path: Path) -> Opener:
    return lambda: path.open("rb")


# Reading -----------------------------------------------------------------------------------


@dataclass
class Archive:
    """The readable tables of an export by kind, and what was reported or skipped."""

    source: str
    tables: dict[str, list[Table]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def read_members(members: Iterable[Member], source: str) -> ParsedImport:
    """A ParsedImport from an archive's or folder's files."""
    archive = Archive(source)
    for member in members:
        name = PurePosixPath(member.path).name
        kind = kind_of_name(member.path)
        if name.startswith(".") or name.startswith("__MACOSX") or "__MACOSX/" in member.path:
            continue
        if kind is None:
            archive.skipped.append((member.path, _skip_reason(member.path)))
            continue
        try:
            table = open_member(member, kind)
        except ImportFileError as error:
            archive.problems.append(Problem(member.path, None, "", error.message))
            continue
        except OSError as error:
            archive.problems.append(
                Problem(member.path, None, "", f"This file cannot be read: {error}.")
            )
            continue
        _drain(table, archive.problems)
        archive.tables.setdefault(kind, []).append(table)
    if not any(archive.tables.get(kind) for kind in KINDS):
        found = ", ".join(path for path, _ in archive.skipped[:5]) or "nothing"
        raise ImportFileError(
            source,
            "No LinkedIn file Cairn reads was found (Connections.csv, messages.csv, "
            f"Invitations.csv, Positions.csv); it holds {found}."
            if not archive.problems
            else "None of the LinkedIn files could be read: "
            + "; ".join(str(problem) for problem in archive.problems[:3]),
        )
    return parsed(archive)


def _skip_reason(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".zip"):
        return "A zip inside the zip; unzip it and import it on its own."
    if not lower.endswith(".csv"):
        return "Not a CSV file."
    return "Cairn does not import this part of the LinkedIn export."


def open_member(member: Member, kind: str) -> Table:
    """The file as a table of `kind`; ImportFileError names the file and what is wrong."""
    with member.opener() as stream:
        start = stream.read(8)
    if start.startswith(b"PK\x03\x04") or start.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            member.path,
            "This is a spreadsheet workbook saved under a .csv name, not a CSV file.",
        )
    table = open_table(member.opener, member.path, KNOWN_BY_KIND[kind])
    check_columns(table, kind)
    return table


def check_columns(table: Table, kind: str) -> None:
    """ImportFileError naming the first required column the table lacks."""
    for names in REQUIRED[kind]:
        if not any(table.has(name) for name in names):
            label = names[0].title() if names[0] != "url" else "URL"
            raise ImportFileError(table.source, f'The column "{label}" is missing.')


def parsed(archive: Archive) -> ParsedImport:
    """The ParsedImport of an archive: positions read now, the rest as it is consumed."""
    tables = archive.tables
    positions = [
        position
        for table in tables.get("positions", [])
        for position in _positions(table, archive.problems)
    ]
    owner = _profile_owner(tables.get("profile", []), archive.problems)
    return ParsedImport(
        format="linkedin",
        source=archive.source,
        people=_chain(tables.get("connections", []), _connections, archive.problems),
        interactions=itertools.chain(
            _messages(tables.get("messages", []), owner, archive.problems),
            _chain(tables.get("invitations", []), _invitations, archive.problems),
        ),
        positions=positions,
        problems=archive.problems,
        skipped=archive.skipped,
    )


def _drain(table: Table, problems: list[Problem]) -> None:
    """Move the problems found while reading rows to the import's list, in reading order."""
    if table.problems:
        problems.extend(table.problems)
        table.problems.clear()


def _chain(
    tables: list[Table], reader: Callable[[Table], Iterator[T]], problems: list[Problem]
) -> Iterator[T]:
    for table in tables:
        for item in reader(table):
            _drain(table, problems)
            yield item
        _drain(table, problems)


def _name(row: Row) -> str:
    given, family = row.get("first name"), row.get("last name")
    return f"{given} {family}" if given and family else given or family


def _when(
    row: Row, column: str, table: Table, *, required: bool
) -> tuple[date, time | None] | None:
    """The row's date and time in `column`; a Problem (an error if the row cannot do without
    it, else a warning) when it cannot be read."""
    value = row.get(column)
    if not value:
        if required:
            table.problems.append(Problem(table.source, row.number, column.title(), "It is empty."))
        return None
    try:
        return dates.any_datetime(value)
    except ValueError as error:
        if required:
            table.problems.append(
                Problem(table.source, row.number, column.title(), f"{error}; row left out.")
            )
        else:
            table.problems.append(
                Problem(
                    table.source, row.number, column.title(), f"{error}; left empty.", "warning"
                )
            )
        return None


def _connections(table: Table) -> Iterator[IncomingPerson]:
    has_url = table.has("url")
    for row in table.rows():
        name = _name(row)
        url = row.get("url")
        if not name:
            table.problems.append(
                Problem(
                    table.source,
                    row.number,
                    "First Name",
                    "No name: LinkedIn leaves it out for members who limit what they share."
                    + (f" Profile: {url}." if url else ""),
                )
            )
            continue
        if has_url and not url:
            table.problems.append(
                Problem(
                    table.source,
                    row.number,
                    "URL",
                    "No profile URL; this person can only be matched by name.",
                    "warning",
                )
            )
        person = IncomingPerson(
            source=table.source,
            row=row.number,
            full_name=name,
            given_name=row.get("first name"),
            family_name=row.get("last name"),
        )
        if url:
            person.contacts.append(IncomingContact("link", url, "LinkedIn", primary=True))
        email = row.get("email address")
        if email:
            person.contacts.append(IncomingContact("email", email))
        company, title = row.get("company"), row.get("position")
        if company:
            person.roles.append(IncomingRole(organisation=company, title=title))
        elif title:
            person.headline = title
        when = _when(row, "connected on", table, required=False)
        person.connected_on = when[0] if when else None
        yield person


def _positions(table: Table, problems: list[Problem]) -> Iterator[OwnPosition]:
    for row in table.rows():
        _drain(table, problems)
        organisation = row.get("company name")
        if not organisation:
            problems.append(Problem(table.source, row.number, "Company Name", "It is empty."))
            continue
        position = OwnPosition(
            source=table.source,
            row=row.number,
            organisation=organisation,
            title=row.get("title"),
            description=row.get("description").replace("\r\n", "\n"),
            location=row.get("location"),
        )
        for column in ("started on", "finished on"):
            try:
                value = dates.month_year(row.get(column))
            except ValueError as error:
                problems.append(Problem(table.source, row.number, column.title(), f"{error}."))
                continue
            if column == "started on":
                position.started_on = value
            else:
                position.ended_on = value
        yield position
    _drain(table, problems)


def _profile_owner(tables: list[Table], problems: list[Problem]) -> str:
    for table in tables:
        for row in table.rows():
            name = _name(row)
            _drain(table, problems)
            if name:
                return name
        _drain(table, problems)
    return ""


# Messages -----------------------------------------------------------------------------------


def html_to_text(value: str) -> str:
    """Message content as plain text: tags removed by nh3, entities decoded, breaks kept."""
    if "<" not in value and "&" not in value:
        return value.replace("\r\n", "\n").strip()
    value = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</h\d\s*>", "\n", value)
    text = html.unescape(nh3.clean(value, tags=set()))
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def summary_of(subject: str, text: str) -> str:
    """The subject, or the first words of the text (cut at a word, with an ellipsis)."""
    base = " ".join((subject or text).split())
    if len(base) <= SUMMARY_LENGTH:
        return base
    cut = base[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return (cut or base[:SUMMARY_LENGTH]) + "…"


def _split_urls(value: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", value) if part]


def _refs(names: str, urls: str) -> list[PersonRef]:
    links = _split_urls(urls)
    parts = [part.strip() for part in names.split(",")] if len(links) > 1 else [names.strip()]
    if len(links) > 1 and len(parts) != len(links):
        parts = [""] * len(links)
    if not links:
        return [PersonRef(name=part) for part in parts if part]
    return [PersonRef(name=name, profile_url=url) for name, url in zip(parts, links, strict=False)]


def find_owner(tables: list[Table], hint: str) -> tuple[str, str]:
    """(name, profile URL) of the archive's owner: the Profile.csv name when there is one,
    else the sender found in most conversations."""
    conversations: dict[tuple[str, str], set[str]] = {}
    for table in tables:
        if not table.has("conversation id"):
            continue
        for row in table.rows():
            sender = (row.get("from"), row.get("sender profile url"))
            conversations.setdefault(sender, set()).add(row.get("conversation id"))
        table.problems.clear()  # the second pass reports them
    if hint:
        for name, url in conversations:
            if name.casefold() == hint.casefold():
                return name, url
        return hint, ""  # the owner sent nothing: every message came in
    counts = Counter({sender: len(ids) for sender, ids in conversations.items()})
    if not counts:
        return hint, ""
    (name, url), _ = counts.most_common(1)[0]
    return name, url


def _messages(
    tables: list[Table], hint: str, problems: list[Problem]
) -> Iterator[IncomingInteraction]:
    if not tables:
        return
    owner_name, owner_url = find_owner(tables, hint)
    drafts = 0
    for table in tables:
        for row in table.rows():
            if row.get("is message draft").lower() in ("yes", "true"):
                drafts += 1
                continue
            interaction = _message(row, table, owner_name, owner_url)
            _drain(table, problems)
            if interaction is not None:
                yield interaction
        _drain(table, problems)
    if drafts:
        problems.append(
            Problem(
                tables[0].source,
                None,
                "",
                f"{drafts} unsent draft(s) were not imported.",
                "warning",
            )
        )


def _message(row: Row, table: Table, owner_name: str, owner_url: str) -> IncomingInteraction | None:
    when = _when(row, "date", table, required=True)
    if when is None:
        return None
    sender, sender_url = row.get("from"), row.get("sender profile url")
    direction_cell = row.get("direction").upper()
    if direction_cell:
        outgoing = direction_cell == "OUTGOING"
    elif owner_url and sender_url:
        outgoing = sender_url == owner_url
    else:
        outgoing = bool(owner_name) and sender.casefold() == owner_name.casefold()
    if outgoing:
        people = [
            ref
            for ref in _refs(row.get("to"), row.get("recipient profile urls"))
            if not (owner_url and ref.profile_url == owner_url)
        ]
    else:
        people = [PersonRef(name=sender, profile_url=sender_url)]
    text = html_to_text(row.get("content"))
    subject = html_to_text(row.get("subject"))
    if not people and not text:
        table.problems.append(
            Problem(table.source, row.number, "From", "Neither a person nor any content.")
        )
        return None
    return IncomingInteraction(
        source=table.source,
        row=row.number,
        occurred_on=when[0],
        occurred_at=when[1],
        kind="message",
        direction="out" if outgoing else "in",
        summary=summary_of(subject, text) or ("Message sent" if outgoing else "Message received"),
        with_people=people,
        notes=text,
        thread=row.get("conversation id"),
    )


def _invitations(table: Table) -> Iterator[IncomingInteraction]:
    for row in table.rows():
        when = _when(row, "sent at", table, required=True)
        if when is None:
            continue
        direction = row.get("direction").upper()
        if direction not in ("INCOMING", "OUTGOING"):
            table.problems.append(
                Problem(
                    table.source,
                    row.number,
                    "Direction",
                    f"{row.get('direction')!r} is neither INCOMING nor OUTGOING.",
                )
            )
            continue
        outgoing = direction == "OUTGOING"
        ref = (
            PersonRef(name=row.get("to"), profile_url=row.get("inviteeprofileurl"))
            if outgoing
            else PersonRef(name=row.get("from"), profile_url=row.get("inviterprofileurl"))
        )
        text = html_to_text(row.get("message"))
        yield IncomingInteraction(
            source=table.source,
            row=row.number,
            occurred_on=when[0],
            occurred_at=when[1],
            kind="other",
            direction="out" if outgoing else "in",
            summary=(
                f"Invitation to connect sent to {ref.name}"
                if outgoing
                else f"Invitation to connect from {ref.name}"
            ),
            with_people=[ref],
            notes=text,
        )


def read_table(table: Table, kind: str) -> ParsedImport:
    """A single LinkedIn CSV imported on its own."""
    check_columns(table, kind)
    archive = Archive(table.source, tables={kind: [table]}, problems=list(table.problems))
    table.problems.clear()
    result = parsed(archive)
    if kind == "profile":
        result.skipped.append((table.source, "Your own profile: there is nothing to import."))
    return result
