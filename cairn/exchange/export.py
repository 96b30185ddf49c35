"""Exports for other programs: vCard for address books, CSV for spreadsheets, iCalendar.

Each export is a generator of text, so a view streams it and the command line writes it as it
comes; the people are read in chunks, never all at once. The complete archive (everything,
restorable) is `cairn.exchange.archive`; these are views of the network for elsewhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import vobject
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cairn.core import search
from cairn.core.errors import DomainError
from cairn.network.models import Circle, ContactPoint, Interaction, Organisation, Person, Role

VCARD_VERSIONS = ("3.0", "4.0")
CHUNK = 500
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one

# Labels that are vCard TYPE values; any other label travels as Apple's X-ABLABEL, which
# address books (and Cairn's own importer) show as written.
_TYPES = {"work": "work", "home": "home", "mobile": "cell", "cell": "cell", "fax": "fax"}
_LINKEDIN = re.compile(r"^https?://([a-z]{2,3}\.)?(www\.)?linkedin\.com/", re.IGNORECASE)


@dataclass(frozen=True)
class PeopleChoice:
    """Which people to export: everyone (not in the bin), or one circle, or a search."""

    circle: str = ""
    query: str = ""

    def describe(self) -> str:
        parts = []
        if self.circle:
            parts.append(f"in {self.circle}")
        if self.query:
            parts.append(f"matching “{self.query}”")
        return "everyone " + " and ".join(parts) if parts else "everyone"


def people_to_export(user: Any, choice: PeopleChoice = PeopleChoice()) -> QuerySet[Person]:
    """The user's people (archived ones too, never the bin), with what an export shows."""
    people = Person.objects.for_user(user).filter(deleted_at__isnull=True)
    if choice.circle:
        circle = Circle.objects.for_user(user).filter(name__iexact=choice.circle.strip()).first()
        if circle is None:
            raise DomainError(f"You have no circle called “{choice.circle}”.", field="circle")
        people = people.filter(circles=circle)
    for term in search.terms(choice.query):
        people = people.filter(
            Q(full_name__icontains=term)
            | Q(headline__icontains=term)
            | Q(location__icontains=term)
            | Q(notes__icontains=term)
            | Q(contact_points__value__icontains=term)
            | Q(roles__organisation__name__icontains=term)
        )
    if choice.query.strip():
        people = people.distinct()
    return people.order_by("sort_name", "pk").prefetch_related(
        Prefetch("contact_points", queryset=ContactPoint.objects.order_by("kind", "pk")),
        Prefetch(
            "roles",
            queryset=Role.objects.filter(is_current=True)
            .select_related("organisation")
            .order_by("-started_on", "-pk"),
            to_attr="current_roles",
        ),
        Prefetch("circles", queryset=Circle.objects.order_by("name")),
        "fields",
    )


def _chunked(queryset: QuerySet) -> Iterator[Any]:
    return queryset.iterator(chunk_size=CHUNK)


# ---------------------------------------------------------------- vCard


def person_vcard(person: Person, *, version: str = "3.0") -> str:
    """One person as a vCard: name, current role, contacts with labels, circles, notes."""
    if version not in VCARD_VERSIONS:
        raise DomainError(f"vCard version {version} is not one Cairn writes (3.0 or 4.0).")
    four = version == "4.0"
    card = vobject.vCard()
    if four:
        card.add("version").value = "4.0"
    card.add("fn").value = person.full_name
    given, family = person.given_name, person.family_name
    if not given and not family:
        given = person.full_name
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    roles = getattr(person, "current_roles", None)
    if roles is None:
        roles = list(person.roles.filter(is_current=True).select_related("organisation"))
    if roles:
        card.add("org").value = [roles[0].organisation.name]
        if roles[0].title:
            card.add("title").value = roles[0].title
    elif person.headline:
        card.add("title").value = person.headline
    group = 0
    for point in person.contact_points.all():
        label = (point.label or "").strip()
        if point.kind == ContactPoint.Kind.LINK and _LINKEDIN.match(point.value):
            line = card.add("x-socialprofile")
            line.value = point.value
            line.type_param = "linkedin"
            continue
        name = {"email": "email", "phone": "tel", "link": "url"}[point.kind]
        known = _TYPES.get(label.lower())
        if label and not known:
            group += 1
            line = card.add(f"item{group}.{name}")
            card.add(f"item{group}.x-ablabel").value = label
        else:
            line = card.add(name)
        line.value = point.value
        types = [known] if known else []
        if point.kind == "email" and not four:
            types.insert(0, "internet")
        if types:
            line.type_param = [t if four else t.upper() for t in types]
    if person.notes:
        card.add("note").value = person.notes
    circles = [circle.name for circle in person.circles.all()]
    if circles:
        card.add("categories").value = circles
    birthday = _birthday(person, four=four)
    if birthday:
        card.add("bday").value = birthday
    if person.location:
        address = card.add("adr")
        address.value = vobject.vcard.Address(city=person.location)
    card.add("rev").value = person.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return card.serialize()


def _birthday(person: Person, *, four: bool) -> str:
    month = getattr(person, "birthday_month", None)
    day = getattr(person, "birthday_day", None)
    if not month or not day:
        return ""
    year = getattr(person, "birthday_year", None)
    if year:
        return f"{year:04d}{month:02d}{day:02d}" if four else f"{year:04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}{day:02d}" if four else f"--{month:02d}-{day:02d}"


def vcards(
    user: Any, choice: PeopleChoice = PeopleChoice(), *, version: str = "3.0"
) -> Iterator[str]:
    """Every chosen person as one .vcf file, a few hundred cards per chunk."""
    if version not in VCARD_VERSIONS:
        raise DomainError(f"vCard version {version} is not one Cairn writes (3.0 or 4.0).")
    people = people_to_export(user, choice)
    batch: list[str] = []
    for person in _chunked(people):
        batch.append(person_vcard(person, version=version))
        if len(batch) == CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


# ---------------------------------------------------------------- CSV

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one that could start a formula gets an apostrophe."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


class _Line:
    """What csv.writer writes into: hands back each line it is given."""

    def write(self, text: str) -> str:
        return text


def csv_rows(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """A CSV file for Excel and the rest: UTF-8 with a BOM, CRLF lines, formulas defused;
    a few hundred lines per chunk."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header)
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([safe_cell(value) for value in row]))
        if len(batch) == CHUNK:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _local(value: datetime | None, user: Any) -> str:
    """A moment as the user reads it: in their own time zone."""
    return timezone.localtime(value, user.zone).strftime("%Y-%m-%d %H:%M") if value else ""


PEOPLE_COLUMNS = (
    "Name", "Given name", "Family name", "Pronouns", "Headline", "Organisation", "Title",
    "Emails", "Phones", "Links", "Location", "Circles", "Fields", "Strength",
    "Keep in touch every (days)", "Last contact", "Next due", "Met on", "Met at", "How we met",
    "Birthday", "Do not contact", "Archived", "Notes", "Added",
)  # fmt: skip


def _contacts(person: Person, kind: str) -> str:
    found = []
    for point in person.contact_points.all():
        if point.kind == kind:
            found.append(f"{point.value} ({point.label})" if point.label else point.value)
    return "; ".join(found)


def people_csv(user: Any, choice: PeopleChoice = PeopleChoice()) -> Iterator[str]:
    """The chosen people, one row each."""

    def rows() -> Iterator[list[Any]]:
        for person in _chunked(people_to_export(user, choice)):
            role = person.current_roles[0] if person.current_roles else None
            yield [
                person.full_name, person.given_name, person.family_name, person.pronouns,
                person.headline, role.organisation.name if role else "", role.title if role else "",
                _contacts(person, "email"), _contacts(person, "phone"), _contacts(person, "link"),
                person.location, "; ".join(c.name for c in person.circles.all()),
                "; ".join(sorted(f.name for f in person.fields.all())), person.strength,
                person.cadence_days or "", _date(person.last_contact_on),
                _date(person.next_due_on), _date(person.met_on), person.met_at, person.how_met,
                getattr(person, "birthday", "") or "", "yes" if person.do_not_contact else "",
                "yes" if person.archived_at else "", person.notes, _local(person.created_at, user),
            ]  # fmt: skip

    return csv_rows(PEOPLE_COLUMNS, rows())


ORGANISATION_COLUMNS = (
    "Name", "Domain", "Industry", "Location", "Size", "Target", "People there now", "Notes",
    "Added",
)  # fmt: skip


def organisations_csv(user: Any) -> Iterator[str]:
    """Every organisation, with how many of the user's people work there now."""
    organisations = (
        Organisation.objects.for_user(user)
        .annotate(
            current=Count(
                "roles__person",
                filter=Q(roles__is_current=True, roles__person__deleted_at__isnull=True),
                distinct=True,
            )
        )
        .order_by("name", "pk")
    )

    def rows() -> Iterator[list[Any]]:
        for org in organisations.iterator(chunk_size=CHUNK):
            yield [
                org.name, org.domain, org.industry, org.location, org.get_size_display()
                if org.size else "", "yes" if org.is_target else "", org.current, org.notes,
                _local(org.created_at, user),
            ]  # fmt: skip

    return csv_rows(ORGANISATION_COLUMNS, rows())


INTERACTION_COLUMNS = (
    "Date", "Time", "Kind", "Direction", "With", "Organisation", "Summary", "Notes",
    "Follow up on", "Followed up",
)  # fmt: skip


def interactions_csv(user: Any) -> Iterator[str]:
    """Every interaction, newest first; people in the bin are left out of “With”."""
    interactions = (
        Interaction.objects.for_user(user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=Person.objects.filter(deleted_at__isnull=True).order_by("sort_name"),
            )
        )
        .order_by("-occurred_on", "-occurred_at", "-pk")
    )

    def rows() -> Iterator[list[Any]]:
        for item in interactions.iterator(chunk_size=CHUNK):
            yield [
                _date(item.occurred_on), item.occurred_at.strftime("%H:%M") if item.occurred_at
                else "", item.get_kind_display(), item.get_direction_display(),
                "; ".join(p.full_name for p in item.people.all()),
                item.organisation.name if item.organisation else "", item.summary, item.notes,
                _date(item.follow_up_on), "yes" if item.follow_up_done else "",
            ]  # fmt: skip

    return csv_rows(INTERACTION_COLUMNS, rows())


# ---------------------------------------------------------------- iCalendar


def calendar_ics(user: Any, *, now: datetime | None = None) -> bytes:
    """Follow-ups, interviews and Today's actions as an .ics file: the same document as the
    subscribable feed, for a one-off import."""
    from cairn.daily.calendar import calendar_bytes

    return calendar_bytes(user, now=now)


# ---------------------------------------------------------------- names


FORMATS = {
    # name: (file name stem, extension, content type)
    "archive": ("cairn-archive", "json", "application/json"),
    "vcard": ("cairn-people", "vcf", "text/vcard; charset=utf-8"),
    "people-csv": ("cairn-people", "csv", "text/csv; charset=utf-8"),
    "organisations-csv": ("cairn-organisations", "csv", "text/csv; charset=utf-8"),
    "interactions-csv": ("cairn-interactions", "csv", "text/csv; charset=utf-8"),
    "ics": ("cairn-calendar", "ics", "text/calendar; charset=utf-8"),
}


def filename(format: str, *, today: Any = None) -> str:
    """`cairn-people-2026-11-25.vcf`: what a download is saved as."""
    stem, extension, _ = FORMATS[format]
    day = today or timezone.localdate()
    return f"{stem}-{day.isoformat()}.{extension}"
