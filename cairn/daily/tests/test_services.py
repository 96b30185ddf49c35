"""The day's agenda: made once a day in the user's time zone, and what done/snooze/skip do."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cairn.core.errors import DomainError
from cairn.daily import services
from cairn.daily.models import Agenda, AgendaItem
from cairn.network import services as network
from cairn.network.models import Interaction, Person
from cairn.testing import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def due_people(owner, count, cadence=30):
    people = []
    for n in range(count):
        person = network.person_create(
            user=owner, full_name=f"Person {n:02}", cadence_days=cadence, strength=n % 6,
            today=TODAY - timedelta(days=400),
        )  # fmt: skip
        network.interaction_log(
            user=owner, people=[person], summary="Lunch",
            occurred_on=TODAY - timedelta(days=cadence + 5 + n), today=TODAY,
        )  # fmt: skip
        people.append(person)
    return people


def keys(agenda, extra=False):
    return [i.key for i in agenda.items.all() if i.is_extra == extra]


def test_the_agenda_has_at_most_n_items_and_keeps_more_for_later(owner):
    due_people(owner, 8)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    assert agenda.day == TODAY
    assert len(keys(agenda)) == owner.daily_action_count == 3
    assert len(keys(agenda, extra=True)) == 5


def test_transition_mode_starts_with_five(owner):
    owner.mode = "transition"
    owner.save()
    due_people(owner, 8)
    assert len(keys(services.agenda_for_today(user=owner, now=NOW))) == 5


def test_a_chosen_count_is_kept(owner):
    owner.daily_action_count = 1
    owner.save()
    due_people(owner, 3)
    assert len(keys(services.agenda_for_today(user=owner, now=NOW))) == 1


def test_a_reload_shows_the_same_agenda_even_when_the_network_changes(owner):
    due_people(owner, 4)
    first = services.agenda_for_today(user=owner, now=NOW)
    due_people_more = network.person_create(
        user=owner, full_name="Urgent Friend", cadence_days=30, strength=5,
        today=TODAY - timedelta(days=400),
    )  # fmt: skip
    again = services.agenda_for_today(user=owner, now=NOW + timedelta(hours=8))
    assert again.pk == first.pk
    assert keys(again) == keys(first)
    assert due_people_more.pk


def test_doing_one_does_not_reshuffle_the_rest(owner):
    due_people(owner, 5)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    before = keys(agenda)
    services.item_done(user=owner, item=agenda.items.all()[0], now=NOW)
    after = services.agenda_for_today(user=owner, now=NOW + timedelta(minutes=5))
    assert keys(after) == before
    assert after.items.all()[0].state == AgendaItem.State.DONE


def test_a_new_day_gets_a_new_agenda_and_the_old_one_stays(owner):
    due_people(owner, 5)
    first = services.agenda_for_today(user=owner, now=NOW)
    second = services.agenda_for_today(user=owner, now=NOW + timedelta(days=1))
    assert second.day == TODAY + timedelta(days=1)
    assert Agenda.objects.for_user(owner).count() == 2
    assert first.pk != second.pk


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        # Kiritimati is UTC+14: its day turns at 10:00 UTC the day before.
        ("Pacific/Kiritimati", utc(2026, 6, 9, 9, 59), utc(2026, 6, 9, 10, 0)),
        # Pago Pago is UTC-11: its day turns at 11:00 UTC.
        ("Pacific/Pago_Pago", utc(2026, 6, 10, 10, 59), utc(2026, 6, 10, 11, 0)),
    ],
)  # fmt: skip
def test_the_day_turns_at_midnight_in_the_users_time_zone(zone, before, after):
    user = make_user(f"far-{zone.split('/')[1].lower()}@example.com", time_zone=zone)
    due_people(user, 2)
    late = services.agenda_for_today(user=user, now=before)
    early = services.agenda_for_today(user=user, now=after)
    assert early.day == late.day + timedelta(days=1)
    assert services.agenda_for_today(user=user, now=before - timedelta(hours=5)).pk == late.pk


def test_an_empty_agenda_fills_once_there_is_something_to_do(owner):
    empty = services.agenda_for_today(user=owner, now=NOW)
    assert keys(empty) == []
    due_people(owner, 2)
    filled = services.agenda_for_today(user=owner, now=NOW + timedelta(hours=1))
    assert filled.pk == empty.pk
    assert len(keys(filled)) == 2


def test_done_logs_the_conversation_and_resets_the_cadence(owner):
    [ana] = due_people(owner, 1)
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    services.item_done(user=owner, item=item, note="Sent her the article", now=NOW)
    item.refresh_from_db()
    assert item.state == AgendaItem.State.DONE and item.note == "Sent her the article"
    ana.refresh_from_db()
    assert ana.last_contact_on == TODAY
    assert ana.next_due_on == TODAY + timedelta(days=30)
    assert Interaction.objects.for_user(owner).filter(summary="Sent her the article").exists()


def test_done_twice_is_refused(owner):
    due_people(owner, 1)
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    services.item_done(user=owner, item=item, now=NOW)
    with pytest.raises(DomainError):
        services.item_done(user=owner, item=item, now=NOW)


def test_done_on_a_follow_up_marks_it_done(owner):
    ana = network.person_create(user=owner, full_name="Ana Ruiz", today=TODAY)
    interaction = network.interaction_log(
        user=owner, people=[ana], summary="Intro call", occurred_on=TODAY - timedelta(days=9),
        follow_up_on=TODAY - timedelta(days=2), today=TODAY,
    )  # fmt: skip
    [item] = services.agenda_for_today(user=owner, now=NOW).items.all()
    assert item.kind == "follow_up"
    services.item_done(user=owner, item=item, now=NOW)
    interaction.refresh_from_db()
    assert interaction.follow_up_done


def test_a_snoozed_item_stays_away_until_its_date(owner):
    due_people(owner, 6)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    item = agenda.items.all()[0]
    services.item_snooze(user=owner, item=item, until=TODAY + timedelta(days=3), now=NOW)
    for days in (1, 2):
        later = services.agenda_for_today(user=owner, now=NOW + timedelta(days=days))
        assert item.key not in keys(later) + keys(later, extra=True)
    back = services.agenda_for_today(user=owner, now=NOW + timedelta(days=3))
    assert item.key in keys(back) + keys(back, extra=True)


def test_a_snooze_must_be_for_a_later_day(owner):
    due_people(owner, 1)
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    with pytest.raises(DomainError, match="until"):
        services.item_snooze(user=owner, item=item, until=TODAY, now=NOW)


def test_a_skipped_item_stays_away_for_a_week(owner):
    due_people(owner, 6)
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    services.item_skip(user=owner, item=item, now=NOW)
    item.refresh_from_db()
    assert item.state == AgendaItem.State.SKIPPED
    tomorrow = services.agenda_for_today(user=owner, now=NOW + timedelta(days=1))
    assert item.key not in keys(tomorrow) + keys(tomorrow, extra=True)


def test_less_often_lengthens_the_cadence(owner):
    [ana] = due_people(owner, 1, cadence=60)
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    services.item_less_often(user=owner, item=item, now=NOW)
    assert Person.objects.get(pk=ana.pk).cadence_days == 90
    item.refresh_from_db()
    assert item.state == AgendaItem.State.SKIPPED


def test_someone_elses_item_is_refused(owner, stranger):
    due_people(owner, 1)
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    for change in (services.item_done, services.item_skip, services.item_less_often):
        with pytest.raises(DomainError):
            change(user=stranger, item=item, now=NOW)


def test_the_stamp_is_the_agendas_and_stays_while_nothing_changes(owner):
    assert services.agenda_stamp(user=owner, now=NOW) is None  # not made yet
    due_people(owner, 5)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    stamp = services.agenda_stamp(user=owner, now=NOW)
    assert stamp.agenda_id == agenda.pk
    services.agenda_for_today(user=owner, now=NOW + timedelta(hours=3))
    assert services.agenda_stamp(user=owner, now=NOW + timedelta(hours=3)) == stamp


@pytest.mark.parametrize(
    "change",
    [
        lambda owner, item: services.item_done(user=owner, item=item, note="Rang", now=NOW),
        lambda owner, item: services.item_snooze(
            user=owner, item=item, until=TODAY + timedelta(days=2), now=NOW
        ),
        lambda owner, item: services.item_skip(user=owner, item=item, now=NOW),
        lambda owner, item: services.item_less_often(user=owner, item=item, now=NOW),
        lambda owner, item: services.due_done(user=owner, key=item.key, now=NOW),
    ],
)
def test_the_stamp_moves_with_every_change_to_an_item(owner, change):
    due_people(owner, 5)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    before = services.agenda_stamp(user=owner, now=NOW)
    change(owner, agenda.items.all()[0])
    after = services.agenda_stamp(user=owner, now=NOW)
    assert after.agenda_id == before.agenda_id and after.changed_at > before.changed_at
    assert services.agenda_stamp(user=owner, now=NOW + timedelta(days=1)) is None


def test_the_stamp_moves_when_an_empty_day_fills(owner):
    services.agenda_for_today(user=owner, now=NOW)
    empty = services.agenda_stamp(user=owner, now=NOW)
    due_people(owner, 2)
    services.agenda_for_today(user=owner, now=NOW)
    assert services.agenda_stamp(user=owner, now=NOW).changed_at > empty.changed_at
