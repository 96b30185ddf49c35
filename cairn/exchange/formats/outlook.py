"""Outlook desktop CSV (in the language of Outlook's UI), Outlook.com CSV and Thunderbird CSV.

All three are read through one declarative table: each Cairn field lists the column names
that carry it in English, German and French. Adding a language is adding a column of names.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from cairn.exchange.formats import dates
from cairn.exchange.formats.text import Row, Table
from cairn.exchange.records import (
    IncomingContact,
    IncomingPerson,
    IncomingRole,
    PartialDate,
    Problem,
)


@dataclass(frozen=True)
class Column:
    """A Cairn field and the names of the column that carries it in each language."""

    field: str  # given, middle, family, display, organisation, department, title, email, …
    label: str  # the contact label for email/phone/link columns
    en: tuple[str, ...]
    de: tuple[str, ...] = ()
    fr: tuple[str, ...] = ()


# fmt: off
COLUMNS: tuple[Column, ...] = (
    Column("given", "", ("first name",), ("vorname",), ("prénom",)),
    Column("middle", "", ("middle name",), ("weitere vornamen",), ("deuxième prénom",)),
    Column("family", "", ("last name",), ("nachname",), ("nom",)),
    Column("display", "", ("display name",)),
    Column("nickname", "", ("nickname",), ("spitzname",), ("surnom",)),
    Column("organisation", "", ("company", "organization"), ("firma",), ("société",)),
    Column("department", "", ("department",), ("abteilung",), ("service",)),
    Column("title", "", ("job title",), ("position",), ("titre#2", "fonction")),
    Column("email", "", ("e-mail address", "primary email"), ("e-mail-adresse",),
           ("adresse de messagerie",)),
    Column("email", "", ("e-mail 2 address", "secondary email"), ("e-mail 2: adresse",),
           ("adresse de messagerie 2",)),
    Column("email", "", ("e-mail 3 address",), ("e-mail 3: adresse",),
           ("adresse de messagerie 3",)),
    Column("phone", "mobile", ("mobile phone", "mobile number"), ("mobiltelefon",),
           ("tél. mobile",)),
    Column("phone", "work", ("business phone", "work phone"), ("telefon geschäftlich",),
           ("téléphone (bureau)",)),
    Column("phone", "work", ("business phone 2",), ("telefon geschäftlich 2",),
           ("téléphone 2 (bureau)",)),
    Column("phone", "home", ("home phone",), ("telefon privat",), ("téléphone (domicile)",)),
    Column("phone", "home", ("home phone 2",), ("telefon privat 2",),
           ("téléphone 2 (domicile)",)),
    Column("phone", "main", ("primary phone",), ("haupttelefon",), ("téléphone principal",)),
    Column("phone", "other", ("other phone",), ("weiteres telefon",), ("téléphone (autre)",)),
    Column("link", "website", ("web page", "web page 1"), ("webseite",), ("page web",)),
    Column("link", "personal website", ("personal web page", "web page 2")),
    Column("birthday", "", ("birthday",), ("geburtstag",), ("anniversaire",)),
    Column("categories", "", ("categories",), ("kategorien",), ("catégories",)),
    Column("notes", "", ("notes",), ("notizen",), ("notes",)),
    Column("city", "", ("business city", "work city"), ("ort geschäftlich",),
           ("ville (bureau)",)),
    Column("country", "", ("business country/region", "work country"),
           ("land/region geschäftlich",), ("pays (bureau)",)),
    Column("city", "", ("home city",), ("ort privat",), ("ville (domicile)",)),
    Column("country", "", ("home country/region", "home country"), ("land/region privat",),
           ("pays (domicile)",)),
    Column("birth year", "", ("birth year",)),
    Column("birth month", "", ("birth month",)),
    Column("birth day", "", ("birth day",)),
)
# fmt: on

CONTACT_KINDS: dict[str, Literal["email", "phone", "link"]] = {
    "email": "email",
    "phone": "phone",
    "link": "link",
}
LANGUAGES = ("en", "de", "fr")
DATE_ORDER = {"en": "mdy", "de": "dmy", "fr": "dmy"}
# Columns found in Outlook's own layouts (desktop and Outlook.com) in each language.
MARKERS = {
    "en": {"first name", "last name", "e-mail address", "job title", "mobile phone"},
    "de": {"vorname", "nachname", "e-mail-adresse", "firma", "mobiltelefon"},
    "fr": {"prénom", "nom", "adresse de messagerie", "société", "tél. mobile"},
}
THUNDERBIRD_MARKERS = {"display name", "primary email", "secondary email", "mobile number"}
KNOWN = {name.split("#")[0] for column in COLUMNS for name in column.en + column.de + column.fr}


def language(header: set[str]) -> str | None:
    """The UI language an Outlook header was written in, or None if it is not Outlook's."""
    scores = {lang: len(header & MARKERS[lang]) for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    return best if scores[best] >= 3 else None


def is_thunderbird(header: set[str]) -> bool:
    """True for Thunderbird's address book CSV (English)."""
    return len(header & THUNDERBIRD_MARKERS) >= 2


def people(table: Table, lang: str) -> Iterator[IncomingPerson]:
    """One person per row, read through COLUMNS in `lang`."""
    mapping = [
        (column, name)
        for column in COLUMNS
        for name in getattr(column, lang) or column.en
        if name in table.header
    ]
    for row in table.rows():
        person = _person(row, mapping, lang, table.source, table.problems)
        if person is not None:
            yield person


def _person(
    row: Row,
    mapping: list[tuple[Column, str]],
    lang: str,
    source: str,
    problems: list[Problem],
) -> IncomingPerson | None:
    values: dict[str, str] = {}
    person = IncomingPerson(source=source, row=row.number, full_name="")
    for column, name in mapping:
        value = row.get(name)
        if not value:
            continue
        kind = CONTACT_KINDS.get(column.field)
        if kind:
            if kind == "email" and "@" not in value and value.upper().startswith("/O="):
                continue  # an Exchange directory address, not an email
            if not any(c.kind == kind and c.value == value for c in person.contacts):
                person.contacts.append(IncomingContact(kind, value, column.label))
        else:
            values.setdefault(column.field, value)
    person.given_name = values.get("given", "")
    person.family_name = values.get("family", "")
    person.full_name = values.get("display") or " ".join(
        values[part] for part in ("given", "middle", "family") if values.get(part)
    )
    person.notes = values.get("notes", "").replace("\r\n", "\n")
    person.location = ", ".join(values[part] for part in ("city", "country") if values.get(part))
    if values.get("organisation"):
        person.roles.append(IncomingRole(values["organisation"], values.get("title", "")))
    elif values.get("title"):
        person.headline = values["title"]
    if values.get("department"):
        person.extra["department"] = values["department"]
    if values.get("nickname"):
        person.extra["nickname"] = values["nickname"]
    for category in values.get("categories", "").replace(",", ";").split(";"):
        if category.strip() and category.strip() not in person.circles:
            person.circles.append(category.strip())
    try:
        person.birthday = _birthday(values, lang)
    except ValueError as error:
        problems.append(Problem(source, row.number, "Birthday", f"{error}; left empty.", "warning"))
    if not person.full_name:
        person.full_name = values.get("organisation", "") or next(
            (c.value for c in person.contacts if c.kind == "email"), ""
        )
    if not person.full_name:
        problems.append(
            Problem(source, row.number, "Name", "This row has no name, company or email.")
        )
        return None
    return person


def _birthday(values: dict[str, str], lang: str) -> PartialDate | None:
    if values.get("birth month") and values.get("birth day"):
        year = int(values["birth year"]) if values.get("birth year", "").isdigit() else None
        return dates.partial(year, int(values["birth month"]), int(values["birth day"]))
    text = values.get("birthday", "")
    try:
        return dates.birthday_numeric(text, order=DATE_ORDER[lang])
    except ValueError:
        # An English export from a day-first locale (en-GB): 31/3/1985.
        return dates.birthday_numeric(text, order="dmy" if DATE_ORDER[lang] == "mdy" else "mdy")
