"""What the Today commands share: the day's agenda in the order it is shown, and finding an
item by its number there (1, 2, 3 …) or by its id (#123)."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from cairn.daily import services
from cairn.daily.models import AgendaItem


def numbered(user, now=None) -> tuple[object, list[tuple[int, AgendaItem]]]:
    """Today's agenda and its items numbered as `cairn today` prints them."""
    agenda = services.agenda_for_today(user=user, now=now or timezone.now())
    items = [i for i in agenda.items.all() if not i.is_extra] + [
        i for i in agenda.items.all() if i.is_extra
    ]
    return agenda, list(enumerate(items, start=1))


def find_item(user, reference: str) -> AgendaItem:
    """The item `reference` names: a number from `cairn today`, or #ID."""
    text = reference.strip()
    if text.startswith("#") and text[1:].isdigit():
        item = AgendaItem.objects.for_user(user).filter(pk=int(text[1:])).first()
        if item is None:
            raise CommandError(f"ITEM: there is no item {text}.")
        return item
    if not text.isdigit():
        raise CommandError(f"ITEM: {reference!r} is neither a number from `cairn today` nor #ID.")
    _, items = numbered(user)
    for number, item in items:
        if number == int(text):
            return item
    raise CommandError(f"ITEM: today has no item {text} (see `cairn today`).")
