"""vCard 2.1, 3.0 and 4.0 files: one IncomingPerson per card.

The file is split into cards here, line by line, before `vobject` parses each card, so that
one broken card becomes a Problem naming its number while the others are read, and so that
`CHARSET=` on 8-bit values (which vobject ignores) can be honoured per line. Each person keeps
its card's text in `extra["vcard"]` (without inline photos) so that properties Cairn has no
field for survive a round trip.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import vobject

from cairn.exchange.formats import dates
from cairn.exchange.formats.text import Encoding, Opener, open_text, sniff_encoding
from cairn.exchange.records import (
    ImportFileError,
    IncomingContact,
    IncomingPerson,
    IncomingRole,
    ParsedImport,
    Problem,
)

BINARY_PROPERTIES = {"PHOTO", "LOGO", "SOUND", "KEY"}
MAX_CARD_BYTES = 8 * 1024 * 1024  # a card larger than this is refused (photos included)
_PROPERTY = re.compile(rb"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?[;:]")
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
# Apple writes `X-SOCIALPROFILE;type=twitter;x-user=ana:x-apple:ana` for some services.
SOCIAL_SITES = {
    "twitter": "https://twitter.com/",
    "x": "https://x.com/",
    "linkedin": "https://www.linkedin.com/in/",
    "facebook": "https://www.facebook.com/",
    "instagram": "https://www.instagram.com/",
    "github": "https://github.com/",
}
_GENERIC_TYPES = {"internet", "pref", "voice", "x400", "x-internet", "text", "uri", "msg"}


def looks_like_vcard(head: str) -> bool:
    """True if the first non-blank, non-comment line is BEGIN:VCARD."""
    for line in head.splitlines():
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("#"):
            continue
        return stripped.upper().startswith("BEGIN:VCARD")
    return False


@dataclass
class RawCard:
    """The lines of one card as found in the file, before any parsing."""

    number: int
    line: int  # where BEGIN:VCARD stands
    lines: list[bytes] = field(default_factory=list)
    finished: bool = False
    size: int = 0


def read_vcards(opener: Opener, source: str) -> ParsedImport:
    """A ParsedImport whose people are read lazily, card by card."""
    problems: list[Problem] = []
    encoding = sniff_encoding(opener, source)
    wide = encoding.name.startswith(("utf-16", "utf-32"))
    if encoding.problem and wide:
        problems.append(encoding.problem)
    people = _people(opener, source, encoding.name if wide else None, problems)
    return ParsedImport(
        format="vcard",
        source=source,
        people=people,
        interactions=iter(()),
        problems=problems,
    )


def _byte_lines(opener: Opener, wide_encoding: str | None) -> Iterator[bytes]:
    """The file's lines as bytes without line endings; UTF-16 files are re-encoded as UTF-8
    so that every later step sees an ASCII-compatible text."""
    if wide_encoding:
        with open_text(opener, Encoding(wide_encoding)) as text:
            for line in text:
                for part in line.splitlines() or [""]:
                    yield part.lstrip("\ufeff").encode("utf-8")
        return
    with opener() as stream:
        first = True
        for raw in stream:
            if first:
                raw = raw.removeprefix(codecs.BOM_UTF8)
                first = False
            # Old Macintosh files end lines with a lone CR.
            yield from raw.rstrip(b"\r\n").split(b"\r")


def _cards(lines: Iterator[bytes], source: str, problems: list[Problem]) -> Iterator[RawCard]:
    card: RawCard | None = None
    number = 0
    stray = 0
    first_stray = 0
    depth = 0
    for line_number, line in enumerate(lines, start=1):
        upper = line.strip().upper()
        if card is None:
            if upper.startswith(b"BEGIN:VCARD"):
                number += 1
                card = RawCard(number, line_number, [line])
                depth = 1
            elif upper and not upper.startswith(b"#"):
                stray += 1
                first_stray = first_stray or line_number
            continue
        if upper.startswith(b"BEGIN:VCARD"):
            previous = card.lines[-1].strip().upper() if card.lines else b""
            if previous.startswith(b"AGENT"):
                depth += 1
            else:
                yield card  # not finished: the next card began before END:VCARD
                number += 1
                card = RawCard(number, line_number, [line])
                depth = 1
                continue
        card.lines.append(line)
        card.size += len(line)
        if upper == b"END:VCARD":
            depth -= 1
            if depth == 0:
                card.finished = True
                yield card
                card = None
        elif card.size > MAX_CARD_BYTES:
            raise ImportFileError(
                source, f"Card {card.number} (line {card.line}) is larger than 8 MB."
            )
    if card is not None:
        yield card
    if stray:
        problems.append(
            Problem(
                source,
                None,
                "",
                f"{stray} line(s) outside any card were ignored (the first is line {first_stray}).",
                "warning",
            )
        )
    if number == 0:
        raise ImportFileError(source, "There is no BEGIN:VCARD in this file.")


def _people(
    opener: Opener, source: str, wide_encoding: str | None, problems: list[Problem]
) -> Iterator[IncomingPerson]:
    for raw in _cards(_byte_lines(opener, wide_encoding), source, problems):
        try:
            person = _person(raw, source, problems)
        except Exception as error:  # one card must never stop the others
            problems.append(
                Problem(
                    source,
                    raw.number,
                    "",
                    f"Card {raw.number} (line {raw.line}) cannot be read: {_reason(error)}",
                )
            )
            continue
        if person is not None:
            yield person


def _reason(error: Exception) -> str:
    if isinstance(error, LookupError) and not isinstance(error, KeyError | IndexError):
        return f"unknown character set ({error})."
    text = str(error).strip() or type(error).__name__
    return text if text.endswith(".") else text + "."


# Turning the raw lines of one card into text -------------------------------------------------


def _split_property(line: str) -> tuple[str, str] | None:
    """(name and parameters, value) at the first colon outside double quotes."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return None


def _logical(raw: RawCard) -> Iterator[tuple[int, list[bytes]]]:
    """Physical lines grouped into properties: folded lines (leading blank), quoted-printable
    soft breaks (a trailing `=`) and unindented base64 blocks join their property."""
    group: list[bytes] = []
    start = raw.line
    qp_open = False
    binary = False
    for offset, line in enumerate(raw.lines):
        number = raw.line + offset
        if not line.strip():
            binary = False
            continue
        if qp_open and line.strip().upper() in (b"END:VCARD", b"BEGIN:VCARD"):
            # A soft break before the card's end: the value simply ended there.
            group[-1] = group[-1].rstrip()[:-1]
            qp_open = False
        continues = bool(group) and (
            line[:1] in (b" ", b"\t") or qp_open or (binary and not _PROPERTY.match(line))
        )
        if not continues:
            if group:
                yield start, group
            group = []
            start = number
            head = line.split(b":", 1)[0].upper()
            binary = head.split(b";")[0].split(b".")[-1].decode("ascii", "replace") in (
                BINARY_PROPERTIES
            )
        group.append(line)
        head = group[0].split(b":", 1)[0].upper()
        qp_open = b"QUOTED-PRINTABLE" in head and line.rstrip().endswith(b"=")
    if group:
        yield start, group


def _decode(lines: list[bytes], source: str, number: int, problems: list[Problem]) -> list[str]:
    """Each physical line as text: ASCII as is, else the declared CHARSET, else UTF-8, else
    Windows-1252 with a warning."""
    if all(line.isascii() for line in lines):
        return [line.decode("ascii") for line in lines]
    head = lines[0].split(b":", 1)[0].decode("ascii", "replace")
    match = re.search(r"CHARSET=([^;:]+)", head, re.IGNORECASE)
    candidates = [match[1].strip('"')] if match else []
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return [line.decode(charset) for line in lines]
        except (LookupError, UnicodeDecodeError):
            continue
    problems.append(
        Problem(
            source,
            number,
            head.split(";")[0],
            "Not UTF-8 and no usable CHARSET; read as Windows-1252.",
            "warning",
        )
    )
    return [line.decode("cp1252", "replace") for line in lines]


def _clean_parameters(name_part: str) -> tuple[str, str]:
    """Drop empty parameters (`ADR;HOME;PREF;:` from old phones) that vobject rejects, and
    replace a CHARSET Python does not know by UTF-8 (quoted-printable values decode with it)."""
    parts = [part for part in name_part.split(";") if part.strip()]
    cleaned = []
    unknown = ""
    for part in parts:
        key, _, value = part.partition("=")
        if key.strip().upper() == "CHARSET":
            try:
                codecs.lookup(value.strip().strip('"'))
            except LookupError:
                unknown = value.strip()
                part = "CHARSET=UTF-8"
        cleaned.append(part)
    return ";".join(cleaned), unknown


def _card_text(raw: RawCard, source: str, problems: list[Problem]) -> tuple[str, str]:
    """(text for vobject, text to keep in extra): decoded, empty parameters dropped, and
    without inline photos, logos and sounds (Cairn keeps no pictures)."""
    parsed: list[str] = []
    kept: list[str] = []
    for start, group in _logical(raw):
        lines = _decode(group, source, raw.number, problems)
        split = _split_property(lines[0])
        if split is None:
            if lines[0].strip().upper() not in ("BEGIN:VCARD", "END:VCARD"):
                problems.append(
                    Problem(
                        source,
                        raw.number,
                        "",
                        f"Card {raw.number}, line {start}: not a property, ignored: "
                        f"{lines[0][:60]!r}.",
                        "warning",
                    )
                )
                continue
            parsed.extend(lines)
            kept.extend(lines)
            continue
        name_part, value = split
        name = name_part.split(";")[0].split(".")[-1].strip().upper()
        if name in BINARY_PROPERTIES:
            continue  # Cairn keeps no pictures, and a damaged one must not cost the card
        parameters, unknown = _clean_parameters(name_part)
        if unknown:
            problems.append(
                Problem(
                    source,
                    raw.number,
                    name,
                    f"Card {raw.number}, line {start}: unknown character set {unknown!r}; "
                    "read as UTF-8.",
                    "warning",
                )
            )
        lines[0] = f"{parameters}:{value}"
        parsed.extend(lines)
        kept.extend(lines)
    if not raw.finished:
        parsed.append("END:VCARD")
    return "\r\n".join(parsed) + "\r\n", "\r\n".join(kept) + "\r\n"


# Reading one parsed card --------------------------------------------------------------------


def _person(raw: RawCard, source: str, problems: list[Problem]) -> IncomingPerson | None:
    text, original = _card_text(raw, source, problems)
    if not raw.finished:
        problems.append(
            Problem(
                source,
                raw.number,
                "",
                f"Card {raw.number} (line {raw.line}) ends without END:VCARD (the file may be "
                "cut short); what it holds was read.",
                "warning",
            )
        )
    card = vobject.readOne(text, allowQP=True)
    lines = [line for line in card.getChildren() if isinstance(line, vobject.base.ContentLine)]
    labels = {
        (line.group or "").lower(): _label_text(str(line.value))
        for line in lines
        if line.name == "X-ABLABEL" and line.group
    }
    person = IncomingPerson(source=source, row=raw.number, full_name="")
    person.extra["vcard"] = original
    given = family = ""
    organisation = title = ""
    for line in lines:
        name = line.name
        value = line.value
        label = labels.get((line.group or "").lower(), "") or _type_label(line)
        if name == "FN":
            person.full_name = _text(value)
        elif name == "N":
            given, family = _name_parts(value)
        elif name == "EMAIL" and _text(value):
            person.contacts.append(
                IncomingContact("email", _text(value), label, primary=_preferred(line))
            )
        elif name == "TEL" and _text(value):
            number = _text(value).removeprefix("tel:")
            person.contacts.append(IncomingContact("phone", number, label, _preferred(line)))
        elif name == "URL" and _text(value):
            person.contacts.append(IncomingContact("link", _text(value), label, _preferred(line)))
        elif name in ("X-SOCIALPROFILE", "SOCIALPROFILE") and _text(value):
            person.contacts.append(_social(line))
        elif name == "ORG":
            parts = value if isinstance(value, list) else [str(value)]
            organisation = _text(parts[0]) if parts else ""
        elif name == "TITLE":
            title = _text(value)
        elif name == "NOTE":
            note = _text(value).replace("\r\n", "\n").replace("\r", "\n")
            person.notes = f"{person.notes}\n\n{note}" if person.notes else note
        elif name == "BDAY":
            person.birthday = _birthday(line, source, raw.number, problems)
        elif name == "CATEGORIES":
            values = value if isinstance(value, list) else str(value).split(",")
            for circle in (_text(item) for item in values):
                if circle and circle not in person.circles:
                    person.circles.append(circle)
        elif name == "ADR" and not person.location:
            person.location = _location(value)
        elif name == "NICKNAME" and _text(value):
            person.extra["nickname"] = _text(value)
    person.given_name, person.family_name = given, family
    if organisation:
        person.roles.append(IncomingRole(organisation=organisation, title=title))
    elif title:
        person.headline = title
    if not person.full_name:
        person.full_name = " ".join(part for part in (given, family) if part)
    if not person.full_name:
        person.full_name = organisation or next(
            (contact.value for contact in person.contacts if contact.kind == "email"), ""
        )
    if not person.full_name:
        problems.append(
            Problem(
                source,
                raw.number,
                "FN",
                f"Card {raw.number} (line {raw.line}) has no name, organisation or email; "
                "it was left out.",
            )
        )
        return None
    return person


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(item).strip() for item in value if str(item).strip())
    return str(value or "").strip()


def _name_parts(value: Any) -> tuple[str, str]:
    if isinstance(value, vobject.vcard.Name):
        return _text(value.given), _text(value.family)
    parts = str(value).split(";")
    return (parts[1].strip() if len(parts) > 1 else ""), parts[0].strip()


def _types(line: Any) -> list[str]:
    types: list[str] = []
    for raw in line.params.get("TYPE", []):
        types.extend(part.strip().lower() for part in str(raw).split(",") if part.strip())
    types.extend(str(part).strip().lower() for part in line.singletonparams)
    return types


def _preferred(line: Any) -> bool:
    return "pref" in _types(line) or bool(line.params.get("PREF"))


def _type_label(line: Any) -> str:
    """The first meaningful TYPE (`work`, `home`, `cell` → `mobile`), lower-case."""
    for kind in _types(line):
        if kind in _GENERIC_TYPES or kind.startswith("charset") or kind == "quoted-printable":
            continue
        return "mobile" if kind == "cell" else kind
    return ""


def _label_text(value: str) -> str:
    match = _APPLE_LABEL.match(value.strip())
    return (match[1] if match else value).strip().lower()


def _social(line: Any) -> IncomingContact:
    value = _text(line.value)
    label = _type_label(line) or "social profile"
    user = line.params.get("X-USER", [""])[0] or value.split(":", 1)[-1]
    if not value.lower().startswith(("http://", "https://")) and label in SOCIAL_SITES:
        value = SOCIAL_SITES[label] + user.strip().lstrip("@")
    return IncomingContact("link", value, label)


def _location(value: Any) -> str:
    if isinstance(value, vobject.vcard.Address):
        parts = [value.city, value.region, value.country]
    else:
        fields = str(value).split(";")
        parts = fields[3:4] + fields[4:5] + fields[6:7]
    return ", ".join(_text(part) for part in parts if _text(part))


def _birthday(line: Any, source: str, number: int, problems: list[Problem]) -> Any:
    value = _text(line.value)
    try:
        birthday = dates.birthday_iso(value)
    except ValueError as error:
        problems.append(Problem(source, number, "BDAY", f"{error}; left empty.", "warning"))
        return None
    omit = line.params.get("X-APPLE-OMIT-YEAR", [""])[0]
    if birthday and omit and str(birthday.year) == omit.strip():
        birthday = dates.partial(None, birthday.month, birthday.day)
    return birthday
