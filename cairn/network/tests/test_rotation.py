from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cairn.network.jogger import CATEGORIES, names_from_text, next_category
from cairn.network.rotation import Member, monday, progress, weekly_batch

START = date(2026, 1, 5)  # a Monday


def members(count, last=None):
    return [Member(id=i, sort_name=f"name{i:03d}", last_contact_on=last) for i in range(count)]


def test_alphabetical_batches_walk_through_everyone_once_per_cycle():
    people = members(10)
    seen = []
    for week in range(5):
        today = START + timedelta(weeks=week, days=3)
        seen += weekly_batch(people, quota=2, order="family_name", started_on=START, today=today)
    assert sorted(seen) == list(range(10))
    # and then it starts again
    again = weekly_batch(
        people, quota=2, order="family_name", started_on=START, today=START + timedelta(weeks=5)
    )
    assert again == [0, 1]


def test_a_batch_is_stable_within_a_week():
    people = members(7)
    batches = {
        tuple(
            weekly_batch(
                people,
                quota=3,
                order="family_name",
                started_on=START,
                today=START + timedelta(days=d),
            )
        )
        for d in range(7)
    }
    assert len(batches) == 1


def test_least_recent_ignores_contacts_made_this_week():
    people = [
        Member(1, "a", date(2025, 6, 1)),
        Member(2, "b", None),
        Member(3, "c", date(2025, 1, 1)),
        Member(4, "d", date(2025, 12, 1)),
    ]
    today = START + timedelta(days=2)
    assert weekly_batch(people, quota=2, order="least_recent", started_on=START, today=today) == [
        2,
        3,
    ]
    # Contacting person 2 on Wednesday keeps the batch as it was on Monday.
    people[1] = Member(2, "b", today)
    assert weekly_batch(people, quota=2, order="least_recent", started_on=START, today=today) == [
        2,
        3,
    ]


def test_progress_counts_contacts_in_the_current_cycle():
    people = [*members(4), Member(99, "z", START + timedelta(days=1))]
    result = progress(people, quota=2, started_on=START, today=START + timedelta(days=3))
    assert (result.members, result.contacted, result.weeks_per_cycle, result.week_in_cycle) == (
        5,
        1,
        3,
        1,
    )
    assert result.percent == 20


@given(
    count=st.integers(min_value=0, max_value=60),
    quota=st.integers(min_value=1, max_value=10),
    week=st.integers(min_value=0, max_value=200),
)
def test_a_batch_has_quota_distinct_members(count, quota, week):
    people = members(count)
    batch = weekly_batch(
        people,
        quota=quota,
        order="family_name",
        started_on=START,
        today=START + timedelta(weeks=week),
    )
    assert len(batch) == min(quota, count)
    assert len(set(batch)) == len(batch)


def test_monday():
    assert monday(date(2026, 11, 29)) == date(2026, 11, 23)


def test_the_jogger_has_at_least_thirty_distinct_categories_with_prompts():
    assert len(CATEGORIES) >= 30
    assert len({c.slug for c in CATEGORIES}) == len(CATEGORIES)
    assert all(c.prompt.strip() and c.circle for c in CATEGORIES)
    assert next_category({c.slug for c in CATEGORIES}) is None
    assert next_category(set()) == CATEGORIES[0]


def test_names_are_read_one_per_line():
    text = "Ana Ruiz\n\n- Bo Chen\n2. Kim  Lee\nana ruiz\n• Dee"
    assert names_from_text(text) == ["Ana Ruiz", "Bo Chen", "Kim Lee", "Dee"]
