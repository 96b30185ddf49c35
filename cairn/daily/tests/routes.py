"""Isolation cases for Today's pages: one per URL that takes an object id."""

from datetime import UTC, datetime, timedelta

from cairn.daily import reviews, services
from cairn.network import services as network

NOW = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)


def _item(owner):
    today = NOW.date()
    person = network.person_create(
        user=owner, full_name="Ana Ruiz", cadence_days=30, today=today - timedelta(days=400)
    )
    network.interaction_log(
        user=owner, people=[person], summary="Lunch", occurred_on=today - timedelta(days=60),
        today=today,
    )  # fmt: skip
    item = services.agenda_for_today(user=owner, now=NOW).items.all()[0]
    return {"pk": item.pk}, item


def _weekly_review(owner):
    today = NOW.date()
    review = reviews.weekly_review_save(
        user=owner, week_of=today, today=today, next_week_focus="Owner's focus"
    )
    return {"pk": review.pk}, review


ROUTES = {
    "daily:item-done": _item,
    "daily:item-snooze": _item,
    "daily:item-skip": _item,
    "daily:item-less-often": _item,
    "daily:review-detail": _weekly_review,
    "daily:review-edit": _weekly_review,
    "daily:review-delete": _weekly_review,
}
