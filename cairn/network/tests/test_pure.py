from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cairn.network import cadence, contacts
from cairn.network.names import fold, sort_key, split_name


@pytest.mark.parametrize(
    ("full", "given_name", "family"),
    [
        ("Ana Ruiz", "Ana", "Ruiz"),
        ("Ana María de la Cruz", "Ana María", "de la Cruz"),
        ("Jan van der Berg", "Jan", "van der Berg"),
        ("Prince", "Prince", ""),
        ("Martin Luther King Jr.", "Martin Luther", "King"),
        ("", "", ""),
    ],
)
def test_it_splits_names(full, given_name, family):
    assert split_name(full) == (given_name, family)


def test_sorting_ignores_particles_and_accents():
    van = sort_key(full_name="Jan van der Berg", given_name="Jan", family_name="van der Berg")
    emile = sort_key(full_name="Émile Zola", given_name="Émile", family_name="Zola")
    assert van.startswith("berg")
    assert van < sort_key(full_name="Ana Carr", given_name="Ana", family_name="Carr") < emile
    assert fold("Émile") == "emile"


@given(st.text(max_size=60))
def test_split_name_never_loses_words(text):
    given_name, family = split_name(text)
    assert set(f"{given_name} {family}".split()) <= set(text.split())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+44 20 7946 0000", "+442079460000"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("06 12 34 56 78", "+33612345678"),
    ],
)
def test_phones_are_normalised(raw, expected):
    assert contacts.normalize_phone(raw, region="FR") == expected


@pytest.mark.parametrize("raw", ["call me", "+1 2", "12"])
def test_bad_phones_are_refused(raw):
    with pytest.raises(ValidationError):
        contacts.normalize_phone(raw)


def test_links_match_however_they_are_written():
    a = contacts.normalize_url("HTTPS://www.LinkedIn.com/in/ana-ruiz/")
    b = contacts.normalize_url("linkedin.com/in/ana-ruiz")
    assert a == b == "https://linkedin.com/in/ana-ruiz"


@pytest.mark.parametrize("raw", ["not a url", "ftp://example.com/x", "javascript:alert(1)"])
def test_bad_links_are_refused(raw):
    with pytest.raises(ValidationError):
        contacts.normalize_url(raw)


def test_emails_are_lower_cased_and_validated():
    assert contacts.normalize_email(" Ana@Example.COM ") == "ana@example.com"
    with pytest.raises(ValidationError):
        contacts.normalize_email("ana at example")


def test_next_due_counts_from_the_last_contact_or_from_when_they_were_added():
    created = date(2026, 1, 1)
    assert cadence.next_due(last_contact_on=None, cadence_days=None, created_on=created) is None
    assert cadence.next_due(last_contact_on=None, cadence_days=30, created_on=created) == date(
        2026, 1, 31
    )
    last = date(2026, 3, 1)
    assert cadence.next_due(last_contact_on=last, cadence_days=60, created_on=created) == date(
        2026, 4, 30
    )


def test_overdue():
    due = date(2026, 4, 30)
    assert cadence.overdue_days(next_due_on=due, today=date(2026, 4, 30)) == 0
    assert cadence.overdue_days(next_due_on=due, today=date(2026, 5, 3)) == 3
    assert cadence.overdue_days(next_due_on=None, today=date(2026, 5, 3)) == 0
    assert cadence.overdue_ratio(next_due_on=due, cadence_days=30, today=date(2026, 5, 30)) == 1.0
