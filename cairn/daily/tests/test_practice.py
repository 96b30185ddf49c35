"""The practice numbers: which activity counts, streaks from the database, Today's panel."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cairn.daily import activity, practice, reviews, services
from cairn.daily.models import AgendaItem
from cairn.daily.streaks import Streak
from cairn.network import services as network
from cairn.network.models import Interaction

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 10)  # a Wednesday


def talk(owner, person, *days):
    for day in days:
        network.interaction_log(
            user=owner, people=[person], summary="Coffee", occurred_on=day, today=TODAY
        )


def talked(owner, *days):
    """Many conversations at once (the counts need no people)."""
    Interaction.objects.bulk_create(
        Interaction(owner=owner, occurred_on=day, summary="Call") for day in days
    )


@pytest.fixture
def ana(owner):
    return network.person_create(user=owner, full_name="Ana Ruiz", today=TODAY)


def test_the_network_registers_its_activity():
    names = activity.activities()
    for name in ("conversations", "favours_given", "favours_received", "people_added"):
        assert name in names
    assert activity.streak_names() == ["conversations", activity.TODAY_DONE]


def test_conversations_count_by_the_day_they_happened(owner, ana, stranger):
    talk(owner, ana, TODAY, TODAY, TODAY - timedelta(days=3))
    other = network.person_create(user=stranger, full_name="Bo", today=TODAY)
    talk(stranger, other, TODAY)
    counts = activity.counts_for(owner, TODAY - timedelta(days=7), TODAY, ["conversations"])
    assert counts["conversations"] == {TODAY: 2, TODAY - timedelta(days=3): 1}


def test_an_action_done_late_in_the_evening_counts_for_that_local_day(owner, ana):
    # Olive lives in Paris: 23:30 there is 21:30 UTC, still the same day.
    talk(owner, ana, TODAY - timedelta(days=60))
    network.person_update(user=owner, person=ana, cadence_days=30, today=TODAY)
    agenda = services.agenda_for_today(user=owner, now=datetime(2026, 6, 10, 8, tzinfo=UTC))
    item = agenda.items.all()[0]
    services.item_done(user=owner, item=item, now=datetime(2026, 6, 10, 21, 30, tzinfo=UTC))
    done = activity.counts_for(owner, TODAY, TODAY + timedelta(days=1), [activity.TODAY_DONE])
    assert done[activity.TODAY_DONE] == {TODAY: 1}
    assert AgendaItem.objects.get(pk=item.pk).done_at.date() == TODAY


def test_people_added_and_network_size(owner):
    bo = network.person_create(user=owner, full_name="Bo Chen", today=TODAY)
    network.person_create(user=owner, full_name="Cy Diaz", today=TODAY)
    network.person_delete(user=owner, person=bo)
    today = services.local_day(owner, datetime.now(UTC))
    added = activity.counts_for(owner, today, today, ["people_added"])["people_added"]
    assert added == {today: 1}  # the binned person is not counted
    sizes = activity.level_for(owner, "network_size", [today - timedelta(days=1), today])
    assert sizes == [0, 1]


def test_streaks_combine_conversations_and_todays_actions(owner, ana):
    talk(owner, ana, *(TODAY - timedelta(days=n) for n in (1, 2, 3, 6, 7)))
    result = practice.streaks(owner, TODAY)
    assert result.current.length == 3 and result.current.end == TODAY - timedelta(days=1)
    assert not result.active_today
    assert result.longest.length == 3


def test_todays_panel_shows_the_streak_and_last_weeks_focus(
    owner, ana, django_assert_max_num_queries
):
    talk(owner, ana, TODAY, TODAY - timedelta(days=1))
    last_monday = date(2026, 6, 1)
    reviews.weekly_review_save(
        user=owner, week_of=last_monday, today=TODAY, next_week_focus="Call three old colleagues"
    )
    with django_assert_max_num_queries(3):
        panel = practice.today_panel(owner, TODAY)["practice_panel"]
    assert panel.streak.length == 2 and panel.active_today
    assert panel.focus == "Call three old colleagues"
    assert panel.nudge_week is None  # a Wednesday: no nudge


@pytest.mark.parametrize(
    ("day", "week"),
    [(date(2026, 6, 14), date(2026, 6, 8)), (date(2026, 6, 15), date(2026, 6, 8))],
)
def test_on_sunday_and_monday_the_panel_nudges_towards_the_review(owner, day, week):
    panel = practice.today_panel(owner, day)["practice_panel"]
    assert panel.nudge_week == week
    reviews.weekly_review_save(user=owner, week_of=week, today=day, what_moved="A lot")
    assert practice.today_panel(owner, day)["practice_panel"].nudge_week is None


def test_the_panel_costs_the_same_with_a_long_history(owner, ana, django_assert_max_num_queries):
    talked(owner, *(TODAY - timedelta(days=n) for n in range(0, 500, 2)))
    with django_assert_max_num_queries(3):
        practice.today_panel(owner, TODAY)


def test_the_panel_reads_old_days_once_a_day_and_the_last_two_always(owner, ana):
    talk(owner, ana, TODAY - timedelta(days=2), TODAY - timedelta(days=3))
    assert practice.today_panel(owner, TODAY)["practice_panel"].streak.length == 0
    # Yesterday's call logged today, then today's: both count at once (the older days
    # come from the morning's reading).
    talk(owner, ana, TODAY - timedelta(days=1), TODAY)
    panel = practice.today_panel(owner, TODAY)["practice_panel"]
    assert panel.streak == Streak(4, TODAY - timedelta(days=3), TODAY)
    assert panel.active_today


def test_a_streak_longer_than_the_panels_window_says_so(owner, ana):
    talked(owner, *(TODAY - timedelta(days=n) for n in range(practice.PANEL_WINDOW_DAYS + 2)))
    panel = practice.today_panel(owner, TODAY)["practice_panel"]
    assert panel.at_least


def test_the_week_numbers_beside_a_review(owner, ana):
    monday = date(2026, 6, 1)
    talk(owner, ana, monday, monday + timedelta(days=6), monday + timedelta(days=7))
    network.favour_add(
        user=owner, person=ana, direction="given", description="Intro", occurred_on=monday
    )
    numbers = practice.week_numbers(owner, monday)
    named = {name: count for name, _, count in numbers["named"]}
    assert named["conversations"] == 2 and named["favours_given"] == 1
    assert numbers["active_days"] == 2


def test_the_year_in_numbers(owner, ana):
    talk(owner, ana, date(2026, 1, 5), date(2026, 1, 6), date(2026, 3, 1), date(2025, 12, 31))
    network.favour_add(
        user=owner, person=ana, direction="received", description="Advice",
        occurred_on=date(2026, 2, 2),
    )  # fmt: skip
    year = practice.year_overview(owner, 2026, TODAY)
    assert year.totals["conversations"] == 3 and year.totals["favours_received"] == 1
    assert year.monthly_conversations[:3] == [("Jan", 2), ("Feb", 0), ("Mar", 1)]
    assert len(year.monthly_conversations) == 6  # up to June
    assert year.so_far and year.longest.length == 2
    assert 'role="img"' in year.conversations_chart and year.network_chart


def test_reviews_refuse_a_week_not_yet_started(owner):
    from cairn.core.errors import DomainError

    with pytest.raises(DomainError, match="has not started"):
        reviews.weekly_review_save(user=owner, week_of=TODAY + timedelta(days=7), today=TODAY)


def test_saving_a_weeks_review_twice_updates_it(owner):
    first = reviews.weekly_review_save(
        user=owner, week_of=TODAY, today=TODAY, what_moved="  An offer  "
    )
    again = reviews.weekly_review_save(
        user=owner, week_of=TODAY - timedelta(days=1), today=TODAY, what_moved="Two offers"
    )
    assert again.pk == first.pk and again.week_of == date(2026, 6, 8)
    assert again.what_moved == "Two offers" and again.next_week_focus == ""


@pytest.mark.parametrize(
    ("today", "last_written", "due"),
    [
        (date(2026, 6, 14), False, date(2026, 6, 8)),  # Sunday: this week
        (date(2026, 6, 15), False, date(2026, 6, 8)),  # Monday: the week just ended
        (date(2026, 6, 17), False, date(2026, 6, 8)),
        (date(2026, 6, 17), True, date(2026, 6, 15)),
    ],
)
def test_the_week_due_for_review(today, last_written, due):
    assert reviews.due_week(today, last_written=last_written) == due


def test_days_follow_the_users_zone_to_the_minute(owner):
    owner.time_zone = "Asia/Kathmandu"  # UTC+5:45
    owner.save()
    people = [network.person_create(user=owner, full_name=n, today=TODAY) for n in "AB"]
    from cairn.network.models import Person

    # 18:14 UTC is 23:59 in Kathmandu; 18:15 UTC is already the next day there.
    Person.objects.filter(pk=people[0].pk).update(
        created_at=datetime(2026, 6, 10, 18, 14, tzinfo=UTC)
    )
    Person.objects.filter(pk=people[1].pk).update(
        created_at=datetime(2026, 6, 10, 18, 15, tzinfo=UTC)
    )
    added = activity.counts_for(owner, TODAY, TODAY + timedelta(days=1), ["people_added"])
    assert added["people_added"] == {TODAY: 1, TODAY + timedelta(days=1): 1}
