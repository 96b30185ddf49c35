"""Large, realistic, deterministic export files for benchmarks and memory checks (fictional
people only).

`write_linkedin_connections(path, rows=30_000, seed=1)` writes a Connections.csv shaped like
LinkedIn's 2023–2024 export: the three preamble lines, profile URLs as the key, emails missing
for almost everyone, a few rows without a name or URL, a company name with a comma now and
then. The same seed always gives the same file.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path

PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\r\n'
    "\r\n"
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_GIVEN = (
    "Aisha Amelia Ana Anders Aoife Arjun Beatriz Bilal Camille Carlos Chiara Chloé Daniel "
    "Dmitri Elif Elena Emeka Fatima Felix Freya Gabriel Hana Hannah Ibrahim Ingrid Isabel "
    "Jakub Jia Jonas Jürgen Kai Kavya Kofi Layla Lena Liam Lucía Mai Marek Marta Mateus Maya "
    "Mehmet Nadia Niamh Noah Olivia Omar Oscar Priya Rafael Rania Ravi Renée Rosa Sakura "
    "Samuel Sara Sean Seo-yeon Sofia Tariq Tomás Uma Valentina Wei Yara Yusuf Zainab Zoë"
)
GIVEN = tuple(_GIVEN.split())
_FAMILY = (
    "Abara Adeyemi Ahmed Andersen Bauer Becker Bianchi Byrne Chen Costa Demir Dubois Eriksen "
    "Fernández Fischer García Gonçalves Haddad Hansen Herrera Ivanova Jansen Kaur Khan Kim "
    "Kowalczyk Larsen Lefèvre Lindqvist López Martin Mensah Moreau Müller Nakamura Nguyen "
    "Novak Nowak O'Brien Okafor Okonkwo Oliveira Park Patel Petrov Raman Ribeiro Rossi Sato "
    "Schmidt Silva Singh Solberg Tanaka Novák Weiß Wójcik Yılmaz Zhang"
)
FAMILY = tuple(_FAMILY.split())
COMPANIES = (
    "Brightwater Analytics",
    "Northwind Recruiting, Ltd",
    "Harbour Health",
    "Kestrel Energy",
    "Lumen Studio",
    "Fjord Maritime",
    "Cedar Foods",
    "Rheinwerk Maschinenbau AG",
    "Atelier Lumière",
    "Orbit Coworking",
    "Vistula Logistics",
    "Pemberton & Hale LLP",
    "Meridian Bank",
    "Tessellate Software",
    "Greenfield Schools Trust",
    "Aurora Biotech",
    "Quayside Media",
    "Summit Consulting Group",
    "Halcyon Games",
    "Ironbridge Engineering",
    "Self-employed",
)
POSITIONS = (
    "Software Engineer",
    "Senior Software Engineer",
    "Engineering Manager",
    "Product Manager",
    "Data Analyst",
    "Head of Data",
    "UX Designer",
    "Talent Partner",
    "Recruiter",
    "Account Executive",
    "Operations Manager",
    "Chief Executive Officer",
    "Founder",
    "Consultant",
    "Teacher",
    "Nurse Practitioner",
    "Marketing Lead",
    "Finance Director",
    "Research Scientist",
    "Student",
)


def linkedin_date(day: date) -> str:
    """`04 Jul 2023`, as Connections.csv writes dates."""
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def slug(text: str) -> str:
    """`Jürgen O'Brien` → `jurgen-o-brien`, as LinkedIn builds profile addresses."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return "".join(char if char.isalnum() else "-" for char in plain).strip("-")


def write_linkedin_connections(
    path: Path | str,
    rows: int = 30_000,
    seed: int = 1,
    overlap_with: Iterable[Mapping[str, str]] | None = None,
) -> int:
    """Write a Connections.csv of `rows` data rows to `path`; return the number written.

    `overlap_with` lists people who must appear in the file (to measure matching against an
    existing network): mappings with any of `first_name`, `last_name`, `full_name`, `url`,
    `email`, `company`, `position`. They take the place of generated rows, spread through
    the file at positions fixed by `seed`.
    """
    rng = random.Random(seed)
    fixed = [_overlap_row(person) for person in overlap_with or ()]
    total = max(rows, len(fixed))
    slots = dict(zip(sorted(rng.sample(range(total), len(fixed))), fixed, strict=True))
    start = date(2008, 1, 1)
    span = (date(2024, 12, 31) - start).days
    with Path(path).open("w", encoding="utf-8", newline="") as file:
        file.write(PREAMBLE)
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(HEADER)
        for index in range(total):
            if index in slots:
                writer.writerow(slots[index])
                continue
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            url = f"https://www.linkedin.com/in/{slug(given)}-{slug(family)}-{index:x}{rng.randrange(16**4):04x}"
            email = (
                f"{slug(given)}.{slug(family)}{index}@example.com" if rng.random() < 0.03 else ""
            )
            company = rng.choice(COMPANIES) if rng.random() < 0.9 else ""
            position = rng.choice(POSITIONS) if rng.random() < 0.95 else ""
            connected = linkedin_date(start + timedelta(days=rng.randrange(span)))
            roll = rng.random()
            if roll < 0.005:
                given = family = url = ""  # a member who limits what they share
            elif roll < 0.01:
                given = family = ""
            elif roll < 0.015:
                url = ""
            writer.writerow([given, family, url, email, company, position, connected])
    return total


def _overlap_row(person: Mapping[str, str]) -> list[str]:
    given = person.get("first_name", "")
    family = person.get("last_name", "")
    if not (given or family) and person.get("full_name"):
        given, _, family = person["full_name"].partition(" ")
    return [
        given,
        family,
        person.get("url", ""),
        person.get("email", ""),
        person.get("company", ""),
        person.get("position", ""),
        person.get("connected_on", "") or linkedin_date(date(2022, 5, 17)),
    ]
