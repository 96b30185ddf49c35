"""Benchmark of importing contacts: matching against a heavy network.

`exchange.linkedin_import_vs_bulk` imports a LinkedIn Connections.csv (30,000 rows; 3,000 in
a quick run) into the heavy user (20,000 people) with everything an import does: reading the
file, matching each row by profile link and by similar name against the network and the
file itself, creating people, contact points, organisations and roles, recording what undo
needs and keeping the search index in step. The baseline reads the same file with the csv
module and bulk-inserts bare Person rows, with no matching at all. Both run in a transaction
that is rolled back, so the heavy user is left as it was.

The file mixes people the network already has (by profile link: a fifth of the rows), near
namesakes of people it has (a twentieth), rows repeated within the file, and new people.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from pathlib import Path

from bench.runner import SEED, Context, Measurement, benchmark

ROWS = {"quick": 3_000, "full": 30_000}
GIVEN = ["Ana", "Bea", "Carlos", "Dana", "Emeka", "Fatima", "Gustav", "Hana", "Ivan", "Jun",
         "Kofi", "Lena", "Mateo", "Nadia", "Oren", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
         "Uma", "Viktor", "Wen", "Xavier", "Yara", "Zeynep"]  # fmt: skip
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "to", "vi", "ber", "dan", "el", "fo", "gun", "ha",
             "is", "jo", "kul", "lin", "mar", "nor", "os", "pe", "quin", "ros", "sol", "tu",
             "ul", "val", "wen", "yo", "zar", "an", "ci", "du", "esk", "ga", "hol"]  # fmt: skip
FAMILY = ["Abara", "Bauer", "Castillo", "Dubois", "Eriksen", "Fischer", "Gupta", "Haddad",
          "Ito", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
          "Quispe", "Rossi", "Sato", "Tanaka", "Ueda", "Varga", "Wójcik", "Xu", "Yilmaz",
          "Zhang"]  # fmt: skip
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Stark Industries", "Wayne Enterprises",
             "Hooli", "Vandelay Industries", "Soylent", "Tyrell", "Cyberdyne", "Wonka"]  # fmt: skip


def write_connections(path: Path, rows: int, existing: list[tuple[str, str]], seed: int) -> None:
    """A LinkedIn Connections.csv (2024 layout, with its preamble) of `rows` rows, some of
    them people of `existing` ((full name, profile link)) and some near namesakes."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        out.write('Notes:\n"When exporting your connection data, you may notice that some of '
                  'the email addresses are missing."\n\n')  # fmt: skip
        writer = csv.writer(out)
        writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company",
                         "Position", "Connected On"])  # fmt: skip
        written: list[list[str]] = []
        for i in range(rows):
            roll = rng.random()
            company = rng.choice(COMPANIES)
            title = rng.choice(["Engineer", "Product manager", "Designer", "Analyst", "Recruiter"])
            month = rng.choice(["Jan", "Mar", "Jul", "Oct"])
            day = f"{rng.randint(1, 28):02d} {month} 20{rng.randint(10, 24)}"
            if roll < 0.2 and existing:
                name, url = rng.choice(existing)
                given, _, family = name.partition(" ")
            elif roll < 0.25 and existing:
                name, _ = rng.choice(existing)
                given, _, family = name.partition(" ")
                family = family[:-1] + "e" if len(family) > 3 else family + "e"
                url = f"https://www.linkedin.com/in/near-{i:x}"
            elif roll < 0.27 and written:
                writer.writerow(rng.choice(written))
                continue
            else:
                given = rng.choice(GIVEN) if rng.random() < 0.3 else _name(rng, 2)
                family = rng.choice(FAMILY) if rng.random() < 0.1 else _name(rng, 3)
                url = f"https://www.linkedin.com/in/{given.lower()}-{family.lower()}-{i:x}"
            row = [given, family, url, "", company, title, day]
            writer.writerow(row)
            if len(written) < 500:
                written.append(row)


def _name(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def _existing(user, count: int) -> list[tuple[str, str]]:
    from cairn.network.models import ContactPoint

    rows = (
        ContactPoint.objects.for_user(user)
        .filter(kind="link")
        .order_by("pk")
        .values_list("person__full_name", "value")[:count]
    )
    return list(rows)


def _bulk_insert(user, path: Path) -> int:
    """The floor: read the rows and insert bare people, no matching, nothing else."""
    from cairn.network.models import Person

    with path.open(newline="", encoding="utf-8") as source:
        lines = source.readlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    people = [
        Person(owner=user, full_name=f"{row['First Name']} {row['Last Name']}".strip(),
               given_name=row["First Name"], family_name=row["Last Name"],
               sort_name=f"{row['Last Name']} {row['First Name']}".lower(),
               headline=row["Position"])
        for row in csv.DictReader(lines[start:])
        if row["First Name"] or row["Last Name"]
    ]  # fmt: skip
    Person.objects.bulk_create(people, batch_size=500)
    return len(people)


class _Rollback(Exception):
    pass


def _timed(run) -> float:
    from django.db import transaction

    began = time.perf_counter()
    try:
        with transaction.atomic():
            run()
            elapsed = time.perf_counter() - began
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


@benchmark("exchange.linkedin_import_vs_bulk", unit="s", goal="ratio <= 3")
def linkedin_import_vs_bulk(context: Context) -> Measurement:
    """Seconds to import a LinkedIn Connections.csv into the heavy user (matching included)
    ÷ seconds to read it with csv and bulk-insert bare Person rows."""
    from cairn.accounts.models import User
    from cairn.exchange import imports

    user = User.objects.get(email=context.user_email)
    rows = ROWS["quick" if context.quick else "full"]
    folder = Path(tempfile.mkdtemp(prefix="cairn-bench-import-"))
    path = folder / "Connections.csv"
    write_connections(path, rows, _existing(user, 5000), SEED)
    outcome: list = []
    value = _timed(lambda: outcome.append(imports.import_run(user=user, path=path)))
    base = _timed(lambda: _bulk_insert(user, path))
    done = outcome[0]
    log = context.log_dir / "exchange_import.log"
    log.write_text(
        f"rows={rows} created={done.created} merged={done.merged} skipped={done.skipped} "
        f"invalid={done.invalid} proposed={done.counts.get('proposed', 0)} "
        f"import={value:.2f}s bulk={base:.2f}s\n"
    )
    return Measurement(value=value, baseline=base)
