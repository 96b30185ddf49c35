"""Google Contacts CSV, the current export and the legacy "Google CSV" one.

Several values share one cell separated by ` ::: `; a leading `* ` marks a system label
(`* myContacts`, `* starred`) in the labels column and the primary value in a type column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from cairn.exchange.formats import dates
from cairn.exchange.formats.text import Row, Table
from cairn.exchange.records import (
    IncomingContact,
    IncomingPerson,
    IncomingRole,
    Problem,
)

SEPARATOR = " ::: "

# Columns that tell the two Google layouts apart from every other CSV.
NEW_MARKERS = {"labels", "e-mail 1 - label", "phone 1 - label", "organization name"}
LEGACY_MARKERS = {"group membership", "e-mail 1 - type", "given name", "family name"}
KNOWN = {
    "first name",
    "middle name",
    "last name",
    "name",
    "given name",
    "additional name",
    "family name",
    "nickname",
    "birthday",
    "notes",
    "labels",
    "group membership",
    "organization name",
    "organization title",
    "organization department",
    "organization 1 - name",
    "organization 1 - title",
    "e-mail 1 - label",
    "e-mail 1 - type",
    "e-mail 1 - value",
    "phone 1 - label",
    "phone 1 - type",
    "phone 1 - value",
    "website 1 - value",
    "address 1 - city",
}
CONTACT_COLUMNS: tuple[tuple[Literal["email", "phone", "link"], str], ...] = (
    ("email", "e-mail"),
    ("phone", "phone"),
    ("link", "website"),
)
SLOTS = 20  # Google adds "E-mail 3", "Phone 7" … as needed; read up to this many


def is_google(header: set[str]) -> bool:
    """True for the header of either Google layout."""
    return len(header & NEW_MARKERS) >= 2 or len(header & LEGACY_MARKERS) >= 2


def split(cell: str) -> list[str]:
    """The values of a ` ::: `-separated cell, stripped, without empty ones."""
    return [part.strip() for part in cell.split(SEPARATOR.strip()) if part.strip()]


def people(table: Table) -> Iterator[IncomingPerson]:
    """One person per row; a row without any name, organisation or email is a Problem."""
    for row in table.rows():
        person = _person(row, table.source, table.problems)
        if person is not None:
            yield person


def _person(row: Row, source: str, problems: list[Problem]) -> IncomingPerson | None:
    given = row.get("first name", "given name")
    middle = row.get("middle name", "additional name")
    family = row.get("last name", "family name")
    full = row.get("name") or " ".join(part for part in (given, middle, family) if part)
    person = IncomingPerson(
        source=source,
        row=row.number,
        full_name=full,
        given_name=given,
        family_name=family,
        notes=row.get("notes").replace("\r\n", "\n"),
    )
    labels = split(row.get("labels", "group membership"))
    for label in labels:
        system = label.startswith("*") or label.lower().startswith("system group:")
        name = label.lstrip("*").strip()
        if system:
            if name.lower() in ("starred", "system group: starred"):
                person.favourite = True
        elif name not in person.circles:
            person.circles.append(name)
    for kind, column in CONTACT_COLUMNS:
        for slot in range(1, SLOTS + 1):
            values = split(row.get(f"{column} {slot} - value"))
            if not values:
                if f"{column} {slot} - value" not in row.values:
                    break
                continue
            label_cell = row.get(f"{column} {slot} - label", f"{column} {slot} - type")
            marked = label_cell.startswith("*")
            labels_here = [part.lstrip("*").strip() for part in split(label_cell)]
            for index, value in enumerate(values):
                label = labels_here[index] if index < len(labels_here) else ""
                if not label and labels_here:
                    label = labels_here[0]
                person.contacts.append(
                    IncomingContact(kind, value, label.lower(), primary=marked and index == 0)
                )
    organisations = split(row.get("organization name", "organization 1 - name"))
    titles = split(row.get("organization title", "organization 1 - title"))
    for index, organisation in enumerate(organisations):
        title = titles[index] if index < len(titles) else ""
        person.roles.append(IncomingRole(organisation=organisation, title=title))
    if not organisations and titles:
        person.headline = titles[0]
    city = row.get("address 1 - city")
    country = row.get("address 1 - country")
    person.location = ", ".join(part for part in (city, country) if part) or row.get("location")
    nickname = row.get("nickname")
    if nickname:
        person.extra["nickname"] = nickname
    for slot in range(1, SLOTS + 1):
        value = row.get(f"custom field {slot} - value")
        if not value:
            break
        person.extra[
            row.get(f"custom field {slot} - label", f"custom field {slot} - type")
            or f"custom field {slot}"
        ] = value
    birthday = row.get("birthday")
    try:
        person.birthday = dates.birthday_iso(birthday)
    except ValueError as error:
        problems.append(Problem(source, row.number, "Birthday", f"{error}; left empty.", "warning"))
    if not person.full_name:
        person.full_name = (organisations[0] if organisations else "") or next(
            (c.value for c in person.contacts if c.kind == "email"), ""
        )
    if not person.full_name:
        problems.append(
            Problem(source, row.number, "Name", "This row has no name, organisation or email.")
        )
        return None
    return person
