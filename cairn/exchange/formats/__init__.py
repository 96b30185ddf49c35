"""Readers for the files people bring: each turns bytes into `cairn.exchange.records`.

`read(path, format="auto")` is the entry point: it accepts a file or (for LinkedIn) a zip or
an unzipped folder, detects the format from the content (never from the extension), and
raises `ImportFileError` naming the file when it cannot be read at all. `read_bytes(data,
name=…)` does the same for an upload held in memory; a large upload is better saved to a
temporary file and given to `read`, which never holds a whole file.

Both return at once: people and interactions are read lazily as their iterators are
consumed, so `problems` is complete only after both are exhausted, and the file (or the
bytes) must stay in place until then. The iterators raise nothing but `ImportFileError` (a
file found unreadable midway, such as a damaged zip member).

What is read:
- "linkedin": the export zip or folder (Connections, messages, Invitations, Positions,
  Profile for the owner's name; other files are listed in `skipped`), or one of those files;
- "google": Google Contacts CSV, current and legacy;
- "outlook": Outlook desktop CSV in English, German or French (comma or semicolon),
  Outlook.com CSV and Thunderbird CSV;
- "vcard": vCard 2.1, 3.0 and 4.0.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from cairn.exchange.formats import google, linkedin, outlook
from cairn.exchange.formats.detect import FORMAT_NAMES, Detected, detect
from cairn.exchange.formats.text import Opener, Table, bytes_opener
from cairn.exchange.formats.vcard import read_vcards
from cairn.exchange.records import ImportFileError, ParsedImport

__all__ = ["FORMAT_NAMES", "read", "read_bytes"]

T = TypeVar("T")
READABLE = ("auto", "linkedin", "google", "outlook", "vcard")


def read(path: Path | str, *, format: str = "auto", name: str | None = None) -> ParsedImport:
    """Parse `path` (a file, a LinkedIn zip or folder); `name` is shown in messages."""
    path = Path(path)
    source = name or path.name
    _check_format(format, source)
    if path.is_dir():
        if format not in ("auto", "linkedin"):
            raise ImportFileError(source, "A folder can only be an unzipped LinkedIn export.")
        return _guard(linkedin.read_members(linkedin.folder_members(path), source), source)
    if not path.is_file():
        raise ImportFileError(source, "There is no such file.")
    return _read(lambda: path.open("rb"), source, format)


def read_bytes(data: bytes, *, name: str, format: str = "auto") -> ParsedImport:
    """Parse an uploaded file held in memory; `name` is its file name, shown in messages."""
    _check_format(format, name)
    return _read(bytes_opener(data), name, format)


def _check_format(format: str, source: str) -> None:
    if format not in READABLE:
        raise ImportFileError(source, f"Cairn has no reader for the format {format!r}.")


def _read(opener: Opener, source: str, format: str) -> ParsedImport:
    try:
        detected = detect(opener, source)
        # Google also exports contacts in Outlook's layout: either name reads that file.
        google_as_outlook = format == "google" and detected.kind == "outlook"
        if format not in ("auto", detected.format) and not google_as_outlook:
            raise ImportFileError(
                source,
                f"This looks like {FORMAT_NAMES[detected.format]}, not {FORMAT_NAMES[format]}.",
            )
        return _guard(_parse(opener, source, detected), source)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
        raise ImportFileError(source, f"The file cannot be read ({error}).") from None


def _parse(opener: Opener, source: str, detected: Detected) -> ParsedImport:
    if detected.kind == "zip":
        return linkedin.read_members(linkedin.zip_members(opener, source), source)
    if detected.kind == "vcard":
        return read_vcards(opener, source)
    assert detected.encoding is not None and detected.shape is not None
    table = Table(
        source,
        opener,
        detected.encoding,
        detected.shape,
        [detected.encoding.problem] if detected.encoding.problem else [],
    )
    if detected.format == "linkedin":
        return linkedin.read_table(table, detected.kind)
    people = (
        google.people(table)
        if detected.format == "google"
        else outlook.people(table, "en" if detected.kind == "thunderbird" else detected.language)
    )
    return ParsedImport(
        format=detected.format,
        source=source,
        people=people,
        interactions=iter(()),
        problems=table.problems,
    )


def _guard(parsed: ParsedImport, source: str) -> ParsedImport:
    parsed.people = _guarded(parsed.people, source)
    parsed.interactions = _guarded(parsed.interactions, source)
    return parsed


def _guarded(items: Iterator[T], source: str) -> Iterator[T]:
    """Reading errors met midway (a damaged zip member, a vanished file) as ImportFileError."""
    try:
        yield from items
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
        raise ImportFileError(source, f"The file could not be read to the end ({error}).") from None
