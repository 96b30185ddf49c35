"""A person's birthday: kept by imports, shown and edited on the person page."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cairn.network import services
from cairn.network.forms import parse_birthday

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31 March", (3, 31, None)), ("March 31", (3, 31, None)), ("31 Mar 1990", (3, 31, 1990)),
        ("1990-03-31", (3, 31, 1990)), ("--03-31", (3, 31, None)), ("29 February", (2, 29, None)),
        ("30 February", None), ("29 Feb 2023", None), ("sometime in spring", None), ("31", None),
    ],
)  # fmt: skip
def test_birthdays_are_read_as_people_write_them(text, expected):
    assert parse_birthday(text) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_a_shown_birthday_reads_back(day, with_year):
    from cairn.network.models import Person

    person = Person(birthday_month=day.month, birthday_day=day.day,
                    birthday_year=day.year if with_year else None)  # fmt: skip
    assert parse_birthday(person.birthday) == (day.month, day.day, day.year if with_year else None)


def test_the_person_page_shows_and_edits_the_birthday(owner, owner_client):
    ana = services.person_create(user=owner, full_name="Ana Ruiz", today=date(2026, 11, 25))
    url = reverse("network:person-edit", args=[ana.pk])
    form = owner_client.get(url).content.decode()
    assert 'name="birthday"' in form
    response = owner_client.post(
        url, {"full_name": "Ana Ruiz", "strength": 1, "birthday": "31 March"}
    )
    assert response.status_code in (302, 303), response.content.decode()[:2000]
    ana.refresh_from_db()
    assert (ana.birthday_month, ana.birthday_day, ana.birthday_year) == (3, 31, None)
    page = owner_client.get(reverse("network:person-detail", args=[ana.pk])).content.decode()
    assert "Birthday: 31 March" in page
    response = owner_client.post(
        url, {"full_name": "Ana Ruiz", "strength": 1, "birthday": "30 Feb"}
    )
    assert "Write it as 31 March" in response.content.decode()


def test_merging_two_people_keeps_the_birthday_and_undo_takes_it_back(owner):
    ana = services.person_create(user=owner, full_name="Ana Ruiz", today=date(2026, 11, 25))
    twin = services.person_create(
        user=owner, full_name="Ana  Ruiz", today=date(2026, 11, 25),
        birthday_month=3, birthday_day=31, birthday_year=None,
    )  # fmt: skip
    record = services.person_merge(user=owner, survivor=ana, absorbed=twin)
    ana.refresh_from_db()
    assert ana.birthday == "31 March"
    services.merge_undo(user=owner, record=record)
    ana.refresh_from_db()
    assert ana.birthday == ""
