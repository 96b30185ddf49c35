"""Isolation cases for Today's API routes (collected by the stranger sweep)."""

from datetime import timedelta

from django.utils import timezone

from cairn.daily import services
from cairn.network import services as network


def _item(owner):
    today = timezone.localdate(timezone=owner.zone)
    person = network.person_create(
        user=owner, full_name="Ana Ruiz", cadence_days=30, today=today - timedelta(days=400)
    )
    network.interaction_log(
        user=owner, people=[person], summary="Lunch", occurred_on=today - timedelta(days=60),
        today=today,
    )  # fmt: skip
    item = services.agenda_for_today(user=owner, now=timezone.now()).items.all()[0]
    return {"item_id": item.pk}, item


def _snoozable(owner):
    kwargs, item = _item(owner)
    until = timezone.localdate(timezone=owner.zone) + timedelta(days=3)
    return kwargs, item, {"until": until.isoformat()}


ROUTES = {
    "api:today_item_done": _item,
    "api:today_item_snooze": _snoozable,
    "api:today_item_skip": _item,
}
