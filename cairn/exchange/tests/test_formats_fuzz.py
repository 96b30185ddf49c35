"""Whatever bytes arrive, the readers return records and Problems or refuse the file with an
ImportFileError: never another exception, never a silently dropped row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.exchange.formats import read_bytes
from cairn.exchange.records import (
    ImportFileError,
    IncomingInteraction,
    IncomingPerson,
    ParsedImport,
)

from .conftest import SAMPLES, build_linkedin_zip

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SAMPLE_FILES = sorted(
    path for path in SAMPLES.rglob("*") if path.is_file() and path.stat().st_size < 20_000
)


def _zip_sample() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return build_linkedin_zip(Path(folder) / "export.zip").read_bytes()


SAMPLE_BYTES = [(path.name, path.read_bytes()) for path in SAMPLE_FILES] + [
    ("export.zip", _zip_sample())
]


def consume(
    data: bytes, name: str
) -> tuple[ParsedImport, list[IncomingPerson | IncomingInteraction]] | None:
    """Read everything; None if the file was refused as a whole."""
    try:
        parsed = read_bytes(data, name=name)
        people = list(parsed.people)
        interactions = list(parsed.interactions)
    except ImportFileError as error:
        assert error.source == name
        assert error.message
        return None
    for record in [*people, *interactions, *parsed.positions]:
        assert record.source
        assert record.row >= 1
    for problem in parsed.problems:
        assert problem.source
        assert problem.row is None or problem.row >= 1
        assert problem.reason
        assert str(problem).startswith(problem.source)
    return parsed, [*people, *interactions]


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_are_read_or_refused(data):
    consume(data, "random.bin")


@st.composite
def mutated_sample(draw: st.DrawFn) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SAMPLE_BYTES))
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if not buffer:
            break
        at = draw(st.integers(0, len(buffer) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        if action == "flip":
            buffer[at] = draw(st.integers(0, 255))
        elif action == "insert":
            buffer[at:at] = draw(
                st.sampled_from(
                    [b'"', b",", b";", b"\t", b"\r\n", b"\x00", b"\xff\xfe", b"=", b":", b"\n "]
                )
                | st.binary(max_size=8)
            )
        elif action == "delete":
            del buffer[at : at + draw(st.integers(1, 40))]
        elif action == "truncate":
            del buffer[at:]
        else:
            end = min(len(buffer), at + draw(st.integers(1, 200)))
            buffer[at:at] = buffer[at:end]
    return name, bytes(buffer)


@FUZZ
@given(mutated_sample())
def test_mutated_sample_files_are_read_or_refused(sample):
    name, data = sample
    consume(data, name)


CELL = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=12,
)
HEADERS = {
    "google.csv": [
        "First Name",
        "Last Name",
        "Labels",
        "E-mail 1 - Label",
        "E-mail 1 - Value",
        "Birthday",
        "Notes",
    ],
    "outlook.csv": [
        "First Name",
        "Last Name",
        "Company",
        "Job Title",
        "E-mail Address",
        "Mobile Phone",
        "Birthday",
        "Categories",
    ],
    "messages.csv": [
        "CONVERSATION ID",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "DATE",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
    ],
    "Invitations.csv": [
        "From",
        "To",
        "Sent At",
        "Message",
        "Direction",
        "inviterProfileUrl",
        "inviteeProfileUrl",
    ],
    "Connections.csv": [
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ],
}


@FUZZ
@given(
    st.sampled_from(sorted(HEADERS)),
    st.lists(st.lists(CELL, min_size=8, max_size=8), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t"]),
)
def test_every_written_row_becomes_a_record_or_a_problem(name, rows, delimiter):
    header = HEADERS[name]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row[: len(header)])
    result = consume(out.getvalue().encode(), name)

    assert result is not None
    parsed, people = result
    people_rows = {person.row for person in people}
    error_rows = {p.row for p in parsed.problems if p.severity == "error"}
    expected = set()
    reader = csv.reader(io.StringIO(out.getvalue()), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        if number > 1 and any(cell.strip() for cell in cells):
            expected.add(number)
    assert people_rows | error_rows == expected
    assert not people_rows & error_rows


VALUE = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs", "Cc", "Zl", "Zp"], blacklist_characters="\\;,:\"'\x85"
    ),
    max_size=20,
)


@FUZZ
@given(
    st.lists(st.tuples(VALUE, VALUE, VALUE), min_size=1, max_size=6),
    st.sampled_from(["2.1", "3.0", "4.0"]),
)
def test_every_card_becomes_a_person_or_a_problem(cards, version):
    lines = []
    for name, note, organisation in cards:
        lines += ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{name}"]
        lines += [f"NOTE:{note}", f"ORG:{organisation}", "END:VCARD"]
    result = consume("\r\n".join(lines).encode(), "cards.vcf")

    assert result is not None
    parsed, people = result
    people_rows = {person.row for person in people}
    error_rows = {p.row for p in parsed.problems if p.severity == "error"}
    assert people_rows | error_rows == set(range(1, len(cards) + 1))
    assert not people_rows & error_rows
    for person in people:
        name = cards[person.row - 1][0]
        if name.strip():
            assert person.full_name == name.strip()
