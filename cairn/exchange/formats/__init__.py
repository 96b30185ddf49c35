"""Readers for the files people bring: each turns bytes into `cairn.exchange.records`.

`read(path, format="auto")` is the one entry point: it accepts a file or (for LinkedIn) a
zip or an unzipped folder, detects the format from the content, and raises
`ImportFileError` naming the file when it cannot be read at all.
"""

from __future__ import annotations

from pathlib import Path

from cairn.exchange.records import ParsedImport


def read(path: Path, *, format: str = "auto", name: str | None = None) -> ParsedImport:
    """Parse `path` (a file, a LinkedIn zip or folder); `name` is shown in messages."""
    raise NotImplementedError
