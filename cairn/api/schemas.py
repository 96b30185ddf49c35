"""Shapes shared by several API resources."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class ContactPointSchema(Schema):
    kind: str
    value: str
    label: str = ""


class RoleBrief(Schema):
    id: int
    organisation_id: int
    organisation: str
    title: str
    is_current: bool


class PersonBrief(Schema):
    id: int
    full_name: str


class Deleted(Schema):
    deleted: bool = True


def person_brief(person) -> PersonBrief:
    return PersonBrief(id=person.pk, full_name=person.full_name)


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class Mapped:
    """A queryset seen through a conversion, for ninja's paginator: it counts the queryset and
    converts only the slice of rows that make up the page."""

    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index):
        rows = self.queryset[index]
        if isinstance(index, slice):
            return [self.convert(row) for row in rows]
        return self.convert(rows)
