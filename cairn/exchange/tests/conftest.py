"""Fixtures for the format readers' tests: the sample files and a LinkedIn zip built from them."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.exchange.formats import read
from cairn.exchange.records import IncomingPerson, ParsedImport

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def formats_samples() -> Path:
    """The folder of hand-written sample exports (fictional people)."""
    return SAMPLES


@pytest.fixture
def linkedin_zip(tmp_path: Path) -> Path:
    """The sample LinkedIn folder zipped the way LinkedIn delivers it."""
    return build_linkedin_zip(tmp_path / "Basic_LinkedInDataExport_11-25-2026.zip")


def build_linkedin_zip(target: Path, folder: Path | None = None) -> Path:
    folder = folder or SAMPLES / "linkedin" / "archive"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return target


class Collected:
    """Everything a ParsedImport held, its iterators consumed."""

    def __init__(self, parsed: ParsedImport) -> None:
        self.parsed = parsed
        self.people = list(parsed.people)
        self.interactions = list(parsed.interactions)
        self.positions = parsed.positions
        self.problems = parsed.problems
        self.skipped = parsed.skipped

    def person(self, full_name: str) -> IncomingPerson:
        return next(person for person in self.people if person.full_name == full_name)


@pytest.fixture
def read_sample() -> Callable[..., Collected]:
    """Read a sample (a path relative to the samples folder, or any path) and consume it."""

    def read_it(path: str | Path, **options: str) -> Collected:
        target = path if isinstance(path, Path) else SAMPLES / path
        return Collected(read(target, **options))

    return read_it
