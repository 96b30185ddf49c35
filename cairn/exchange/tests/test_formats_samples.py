"""The generator of large LinkedIn files, and the reader's memory on one of them."""

from __future__ import annotations

import tracemalloc

from cairn.exchange.formats import read
from cairn.exchange.formats.samples import write_linkedin_connections


def test_the_generator_is_deterministic(tmp_path):
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"

    write_linkedin_connections(first, rows=300, seed=7)
    write_linkedin_connections(second, rows=300, seed=7)
    write_linkedin_connections(other, rows=300, seed=8)

    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_a_generated_file_reads_like_a_real_export(tmp_path):
    path = tmp_path / "Connections.csv"
    overlap = [
        {"full_name": "Ana Example", "url": "https://www.linkedin.com/in/ana-example"},
        {"first_name": "Ben", "last_name": "Sample", "email": "ben@example.org"},
    ]

    written = write_linkedin_connections(path, rows=2000, seed=1, overlap_with=overlap)
    parsed = read(path)
    people = list(parsed.people)

    assert written == 2000
    assert path.read_bytes().startswith(b"Notes:\r\n")
    assert parsed.format == "linkedin"
    assert len(people) + sum(p.severity == "error" for p in parsed.problems) == 2000
    with_email = sum(any(c.kind == "email" for c in person.contacts) for person in people)
    assert with_email < len(people) * 0.06
    named = {person.full_name: person for person in people}
    assert named["Ana Example"].contacts[0].value == "https://www.linkedin.com/in/ana-example"
    assert named["Ben Sample"].contacts[0].value == "ben@example.org"


def test_reading_fifty_thousand_connections_stays_small_in_memory(tmp_path):
    path = tmp_path / "Connections.csv"
    write_linkedin_connections(path, rows=50_000, seed=2)

    tracemalloc.start()
    try:
        parsed = read(path)
        count = sum(1 for _ in parsed.people)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count > 49_000
    assert peak < 50 * 1024**2
