"""The import pipeline's memory grows with the rows but stays small per row: a 50,000-row
LinkedIn export must be importable on a small server (measured on fewer rows here; the
benchmark imports 30,000)."""

import csv
import random
import tracemalloc

from cairn.exchange import imports, matching

ROWS = 2000
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "to", "vi", "ber", "dan", "el", "fo", "gun",
             "ha", "is", "jo", "kul", "lin", "mar", "nor", "os", "pe", "quin", "ros", "sol",
             "tu"]  # fmt: skip
MAX_BYTES_PER_ROW = 4500  # 50,000 rows in about 225 MB at most


def write_connections(path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        out.write('Notes:\n"Some emails are missing."\n\n')
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company",
                         "Position", "Connected On"])  # fmt: skip
        rng = random.Random(1)
        for i in range(rows):
            given = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
            family = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            writer.writerow([
                given, family, f"https://www.linkedin.com/in/person-{i:x}", "",
                f"Company {i % 50}", "Engineer", "04 Jul 2023",
            ])  # fmt: skip


def test_planning_a_large_export_keeps_memory_per_row_small(tmp_path):
    from cairn.exchange import formats

    path = tmp_path / "Connections.csv"
    write_connections(path, ROWS)
    tracemalloc.start()
    try:
        parsed = formats.read(path)
        entries = imports.plan_people(parsed.people, matching.PeopleIndex())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(entries) == ROWS
    assert sum(entry.status == "new" for entry in entries) > ROWS * 0.9
    assert peak / ROWS < MAX_BYTES_PER_ROW, f"{peak / ROWS:.0f} bytes per row"
