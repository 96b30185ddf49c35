"""Turning the bytes of an exported table into rows: encoding, delimiter, header, streaming.

Every file is opened through an `Opener` (a function returning a fresh binary stream), so a
file on disk, an upload held in memory and a member of a zip are read the same way, row by
row, and never all at once.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import IO

from cairn.exchange.records import ImportFileError, Problem

Opener = Callable[[], IO[bytes]]

HEAD_BYTES = 64 * 1024
CHUNK = 256 * 1024
DELIMITERS = (",", ";", "\t")
MAX_HEADER_SEARCH = 40  # records scanned for the header row (preambles are a few lines)
MAX_ROW_PROBLEMS = 200  # per file: past this many broken rows the file is given up

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

ENCODING_NAMES = {
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "ISO 8859-1 (Latin-1)",
}


@dataclass(frozen=True)
class Encoding:
    """A sniffed encoding and the warning to show with it, if any."""

    name: str
    problem: Problem | None = None


def read_start(opener: Opener, size: int = HEAD_BYTES) -> bytes:
    """The first `size` bytes of the file."""
    with opener() as stream:
        return stream.read(size)


def sniff_encoding(opener: Opener, source: str) -> Encoding:
    """The file's encoding: BOM, else UTF-16 when NULs abound, else UTF-8 if the whole file
    decodes, else Windows-1252 (then Latin-1) with a warning."""
    start = read_start(opener, 4096)
    for bom, name in _BOMS:
        if start.startswith(bom):
            return Encoding(name)
    if start and start.count(0) * 4 >= len(start):
        odd = sum(1 for i in range(1, len(start), 2) if start[i] == 0)
        even = sum(1 for i in range(0, len(start), 2) if start[i] == 0)
        return Encoding("utf-16-le" if odd >= even else "utf-16-be")
    bad, good = _utf8_damage(opener)
    if bad == 0:
        return Encoding("utf-8")
    if good > bad:
        # Mostly UTF-8 with a few broken bytes (a cut-off file, one pasted Latin-1 letter):
        # reading it all as Windows-1252 would garble every accented letter.
        return Encoding(
            "utf-8",
            Problem(
                source,
                None,
                "",
                f"{bad} byte(s) are not valid UTF-8 and show as �. Check the preview.",
                "warning",
            ),
        )
    name = "cp1252" if _decodes(opener, "cp1252") else "latin-1"
    return Encoding(
        name,
        Problem(
            source,
            None,
            "",
            f"The file is not UTF-8; it was read as {ENCODING_NAMES[name]}. "
            "Check accented letters in the preview.",
            "warning",
        ),
    )


def _utf8_damage(opener: Opener) -> tuple[int, int]:
    """(undecodable sequences, well-formed non-ASCII characters) when read as UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    bad = good = 0
    with opener() as stream:
        while True:
            chunk = stream.read(CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            replaced = text.count("\ufffd")
            bad += replaced
            good += len(text) - len(text.encode("ascii", "ignore")) - replaced
            if not chunk:
                return bad, good


def _decodes(opener: Opener, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with opener() as stream:
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def open_text(opener: Opener, encoding: Encoding) -> io.TextIOWrapper:
    """A text stream over the file; undecodable bytes become U+FFFD rather than failing."""
    return io.TextIOWrapper(opener(), encoding=encoding.name, errors="replace", newline="")


def read_head(opener: Opener, encoding: Encoding, size: int = HEAD_BYTES) -> str:
    """The first `size` characters of the file, without a BOM."""
    with open_text(opener, encoding) as text:
        head = text.read(size)
    return head.lstrip("\ufeff")


def normalize_header(cell: str) -> str:
    """A header cell as compared: lower case, single spaces, no BOM or stray quotes."""
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').split()).lower()


def header_keys(cells: list[str]) -> list[str]:
    """Normalised header names; a repeated name gets `#2`, `#3` (French Outlook has two
    `Titre` columns: courtesy title, then job title)."""
    keys: list[str] = []
    seen: dict[str, int] = {}
    for cell in cells:
        key = normalize_header(cell)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


@dataclass(frozen=True)
class TableShape:
    """Where the header is and how the table is delimited."""

    delimiter: str
    header_index: int  # 0-based record number of the header row
    header: list[str]  # normalised names


def sniff_table(head: str, known: Collection[str]) -> TableShape | None:
    """The delimiter and header row that show the most known header names.

    Each delimiter is tried on the first records of `head`; the header is the record with the
    most known names (a preamble of any length is skipped, never a fixed count). Ties go to
    the delimiter that splits the header into more columns.
    """
    best: tuple[int, int, int] | None = None
    shape: TableShape | None = None
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(head), delimiter=delimiter)
        try:
            for index, cells in enumerate(reader):
                if index >= MAX_HEADER_SEARCH:
                    break
                keys = header_keys(cells)
                score = sum(1 for key in keys if key.split("#")[0] in known)
                if score == 0:
                    continue
                rank = (score, len(keys), -index)
                if best is None or rank > best:
                    best = rank
                    shape = TableShape(delimiter, index, keys)
        except csv.Error:
            continue
    return shape


@dataclass
class Row:
    """One data row, its values by normalised header name."""

    number: int  # as a spreadsheet would number it: header and preamble rows count
    values: dict[str, str]

    def get(self, *names: str) -> str:
        """The first non-empty value among `names`, stripped."""
        for name in names:
            value = self.values.get(name)
            if value:
                value = value.strip()
                if value:
                    return repair_mojibake(value)
        return ""


@dataclass
class Table:
    """A CSV file whose shape is known; `rows()` streams it."""

    source: str
    opener: Opener
    encoding: Encoding
    shape: TableShape
    problems: list[Problem] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return self.shape.header

    def has(self, name: str) -> bool:
        return name in self.shape.header

    def rows(self) -> Iterator[Row]:
        """Data rows after the header; blank rows are skipped, broken ones become Problems."""
        keys = self.shape.header
        width = len(keys)
        with open_text(self.opener, self.encoding) as text:
            reader = csv.reader(text, delimiter=self.shape.delimiter)
            number = 0
            broken = 0
            while True:
                number += 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except OSError as error:  # a damaged zip member, a file gone from under us
                    self.problems.append(
                        Problem(
                            self.source,
                            number,
                            "",
                            f"The file could not be read past this row ({error}); "
                            "the rows before it were read.",
                        )
                    )
                    return
                except csv.Error as error:
                    broken += 1
                    self.problems.append(
                        Problem(self.source, number, "", f"This row cannot be read ({error}).")
                    )
                    if broken >= MAX_ROW_PROBLEMS:
                        self.problems.append(
                            Problem(
                                self.source,
                                number,
                                "",
                                "Too many unreadable rows; the rest of the file was not read.",
                            )
                        )
                        return
                    continue
                if number <= self.shape.header_index + 1:
                    continue
                if not "".join(cells).strip():
                    continue
                if len(cells) > width and "".join(cells[width:]).strip():
                    self.problems.append(
                        Problem(
                            self.source,
                            number,
                            "",
                            f"This row has {len(cells)} values but the header has {width}; "
                            "the extra values were ignored.",
                            "warning",
                        )
                    )
                yield Row(number, dict(zip(keys, cells, strict=False)))


def open_table(
    opener: Opener, source: str, known: Collection[str], *, encoding: Encoding | None = None
) -> Table:
    """Sniff encoding, delimiter and header; ImportFileError if no header is recognised."""
    encoding = encoding or sniff_encoding(opener, source)
    head = read_head(opener, encoding)
    if not head.strip():
        raise ImportFileError(source, "The file is empty.")
    shape = sniff_table(head, known)
    if shape is None:
        raise ImportFileError(
            source,
            "No header row with known column names was found "
            f"(the first line reads {first_line(head)!r}).",
        )
    return Table(source, opener, encoding, shape, [encoding.problem] if encoding.problem else [])


def first_line(text: str, limit: int = 80) -> str:
    """The first non-blank line of `text`, shortened for a message."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def repair_mojibake(value: str) -> str:
    """UTF-8 that was read as Windows-1252 and saved again (Excel round trips: `JosÃ©`) back
    to what it was; anything else is returned unchanged."""
    if "Ã" not in value and "Â" not in value and "â€" not in value:
        return value
    try:
        return value.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return value


def bytes_opener(data: bytes) -> Opener:
    """An Opener over bytes held in memory."""
    return lambda: io.BytesIO(data)
