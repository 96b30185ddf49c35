"""Everything due: every candidate of the day beside today's agenda, what has become of each,
and doing, snoozing or skipping one that is not on the agenda."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cairn.core.errors import DomainError
from cairn.daily import services
from cairn.daily.models import AgendaItem, Deferral
from cairn.daily.providers import Candidate
from cairn.daily.tests.people import due_people as people_due
from cairn.network.models import Interaction, Person

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
TODAY = date(2026, 6, 10)


def due_people(owner, count):
    return people_due(owner, count, today=TODAY, days_ago=35, spread=1000)


def not_on_agenda(owner):
    """A due key that today's agenda has not taken (neither chosen nor extra)."""
    _, rows = services.due_for(user=owner, now=NOW)
    return next(row for row in rows if row.item is None)


def test_everything_due_is_every_candidate_best_first(owner):
    due_people(owner, 20)
    agenda, rows = services.due_for(user=owner, now=NOW)
    assert len(rows) == 20
    scores = [r.candidate.score for r in rows]
    assert scores == sorted(scores, reverse=True)
    on_agenda = {item.key for item in agenda.items.all()}
    assert {row.key for row in rows if row.item is not None} == on_agenda
    assert sum(row.on_today for row in rows) == 3
    assert services.due_count(user=owner, agenda=agenda) == 20


def test_each_row_says_what_became_of_it(owner):
    due_people(owner, 4)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    first, second, third = [i for i in agenda.items.all() if not i.is_extra]
    services.item_done(user=owner, item=first, now=NOW)
    services.item_snooze(user=owner, item=second, until=TODAY + timedelta(days=2), now=NOW)
    services.item_skip(user=owner, item=third, now=NOW)
    _, rows = services.due_for(user=owner, now=NOW)
    states = {row.key: row.state for row in rows}
    # Done, its person's clock is reset: no longer due, so no longer a candidate.
    assert first.key not in states
    assert states[second.key] == "snoozed" and states[third.key] == "skipped"
    assert services.due_count(user=owner, agenda=agenda) == 1


def test_a_key_put_off_on_an_earlier_day_shows_as_such(owner):
    [ana] = due_people(owner, 1)
    key = f"keep_in_touch:person:{ana.pk}"
    Deferral.objects.create(owner=owner, key=key, until=TODAY + timedelta(days=3), reason="snoozed")
    _, [row] = services.due_for(user=owner, now=NOW)
    assert row.key == key and row.state == "snoozed" and not row.is_open
    assert row.item is None


def test_doing_one_not_on_the_agenda_adds_it_as_an_extra_done(owner):
    due_people(owner, 20)
    row = not_on_agenda(owner)
    after = services.due_done(user=owner, key=row.key, note="Sent a card", now=NOW)
    assert after.state == "done" and after.item.note == "Sent a card"
    item = AgendaItem.objects.get(owner=owner, key=row.key)
    assert item.is_extra and item.state == "done" and item.agenda.day == TODAY
    assert Interaction.objects.for_user(owner).filter(summary="Sent a card").exists()
    assert Deferral.objects.get(owner=owner, key=row.key).reason == "done"
    # The day's few are untouched, and the new extra comes after the others.
    extras = AgendaItem.objects.filter(owner=owner, is_extra=True).order_by("position")
    assert list(extras)[-1] == item


def test_doing_one_on_the_agenda_does_that_item(owner):
    due_people(owner, 5)
    agenda = services.agenda_for_today(user=owner, now=NOW)
    chosen = next(i for i in agenda.items.all() if not i.is_extra)
    services.due_done(user=owner, key=chosen.key, now=NOW)
    chosen.refresh_from_db()
    assert chosen.state == "done"
    assert AgendaItem.objects.filter(owner=owner).count() == agenda.items.count()


def test_snoozing_and_skipping_one_not_on_the_agenda(owner):
    due_people(owner, 20)
    _, rows = services.due_for(user=owner, now=NOW)
    first, second = [row for row in rows if row.item is None][:2]
    snoozed = services.due_snooze(
        user=owner, key=first.key, until=TODAY + timedelta(days=5), now=NOW
    )
    skipped = services.due_skip(user=owner, key=second.key, now=NOW)
    assert snoozed.state == "snoozed" and snoozed.item.snoozed_until == TODAY + timedelta(days=5)
    assert skipped.state == "skipped"
    assert Deferral.objects.get(owner=owner, key=first.key).until == TODAY + timedelta(days=5)
    assert Deferral.objects.get(owner=owner, key=second.key).reason == "skipped"
    later = services.agenda_for_today(user=owner, now=NOW + timedelta(days=1))
    assert {first.key, second.key}.isdisjoint(i.key for i in later.items.all())


def test_less_often_on_one_not_on_the_agenda(owner):
    due_people(owner, 20)
    row = not_on_agenda(owner)
    services.due_less_often(user=owner, key=row.key, now=NOW)
    assert Person.objects.get(pk=row.candidate.person_id).cadence_days == 60


def test_a_bad_snooze_date_adds_nothing(owner):
    due_people(owner, 20)
    row = not_on_agenda(owner)
    count = AgendaItem.objects.count()
    with pytest.raises(DomainError, match="until"):
        services.due_snooze(user=owner, key=row.key, until=TODAY, now=NOW)
    assert AgendaItem.objects.count() == count


def test_a_key_that_is_not_due_is_refused(owner):
    due_people(owner, 2)
    with pytest.raises(DomainError) as error:
        services.due_done(user=owner, key="keep_in_touch:person:999999", now=NOW)
    assert error.value.code == "not_found"


def test_another_accounts_key_is_not_due_for_a_stranger(owner, stranger):
    due_people(owner, 20)
    row = not_on_agenda(owner)
    for change in (services.due_done, services.due_skip):
        with pytest.raises(DomainError):
            change(user=stranger, key=row.key, now=NOW)
    assert not AgendaItem.objects.filter(owner=stranger).exists()
    assert not AgendaItem.objects.filter(owner=owner, key=row.key).exists()
    assert not Deferral.objects.filter(key=row.key).exists()


# ---------------------------------------------------------------- choosing rows (pure)


def row(kind, key, title="Get in touch with Ana Ruiz", why="it has been a while", urgency=0.5,
        give=False, state=None):  # fmt: skip
    candidate = Candidate(kind, key, title, why, urgency, 1.0, is_give=give)
    deferral = Deferral(key=key, until=TODAY, reason=state) if state else None
    return services.Due(candidate, None, deferral)


ROWS = [
    row("follow_up", "f:1", "Follow up with Bo Chen", "you planned to follow up on “Salary”", 0.9),
    row("keep_in_touch", "k:1", urgency=0.8),
    row("give", "g:1", "Offer Cy Diaz a hand", "Cy has helped you twice", 0.7, give=True),
    row("keep_in_touch", "k:2", "Get in touch with Di Eze", urgency=0.6, state="snoozed"),
    row("congratulate", "c:1", "Congratulate Ana Ruiz", "Ana was promoted", 0.5, give=True),
]


def keys(rows):
    return [r.key for r in rows]


def test_by_default_only_what_is_still_open():
    assert keys(services.due_select(ROWS)) == ["f:1", "k:1", "g:1", "c:1"]
    assert keys(services.due_select(ROWS, closed=True)) == ["f:1", "k:1", "g:1", "k:2", "c:1"]


def test_one_kind_or_only_the_gives():
    assert keys(services.due_select(ROWS, kind="keep_in_touch", closed=True)) == ["k:1", "k:2"]
    assert keys(services.due_select(ROWS, give=True)) == ["g:1", "c:1"]


@pytest.mark.parametrize(
    ("text", "found"),
    [("ana", ["k:1", "c:1"]), ("ANA promoted", ["c:1"]), ("salary", ["f:1"]), ("nobody", [])],
)
def test_words_are_looked_for_in_the_title_and_the_reason(text, found):
    assert keys(services.due_select(ROWS, text=text)) == found


def test_by_kind_keeps_the_best_first_within_each_kind():
    chosen = services.due_select(ROWS, sort="kind", closed=True)
    assert keys(chosen) == ["c:1", "f:1", "g:1", "k:1", "k:2"]


def test_a_key_makes_a_safe_html_id():
    assert services.key_slug("keep_in_touch:person:42") == "keep_in_touch-person-42"
    assert services.kind_label("keep_in_touch") == "Keep in touch"
