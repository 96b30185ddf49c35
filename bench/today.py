"""Benchmarks of Today: making the day's agenda must cost the same whatever the network's size.

The agenda is made fresh on each call: today's agenda is deleted first, inside a transaction
that is rolled back afterwards, so that the bench database keeps the agenda it had. Only the
making is timed, not the deleting. Rounds alternate between the two users and keep each one's
best, as in the network benchmarks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.network import users
from bench.runner import Context, Measurement, benchmark


def _rounds(context: Context) -> tuple[int, int]:
    """(rounds, calls per round)."""
    return (1, 2) if context.quick else (5, 5)


def making_the_agenda(user) -> Callable[[], float]:
    """A call that makes `user`'s agenda for today from scratch, leaves no trace, and returns
    the seconds the making took."""
    from django.db import transaction
    from django.utils import timezone

    from cairn.daily import services
    from cairn.daily.models import Agenda

    def run() -> float:
        now = timezone.now()
        with transaction.atomic():
            Agenda.objects.for_user(user).filter(day=services.local_day(user, now)).delete()
            began = time.perf_counter()
            agenda = services.agenda_for_today(user=user, now=now)
            spent = time.perf_counter() - began
            if not agenda.items.all():
                raise RuntimeError(f"{user.email} has nothing on today's agenda to measure")
            transaction.set_rollback(True)
        return spent

    return run


def paired(
    heavy: Callable[[], float], baseline: Callable[[], float], *, rounds: int, calls: int
) -> tuple[float, float]:
    """Seconds per call of each (as the calls measure themselves), best round of each."""
    heavy(), baseline()  # warm caches and connections on both sides
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for side, run in enumerate((heavy, baseline)):
            best[side] = min(best[side], sum(run() for _ in range(calls)) / calls)
    return best[0], best[1]


@benchmark("today.agenda_scaling", unit="ms", goal="ratio <= 1.5")
def agenda_scaling(context: Context) -> Measurement:
    """Milliseconds to make today's agenda from every provider's candidates for the heavy user
    (20,000 people, 200,000 interactions) ÷ the same for the 1,000-person user."""
    heavy, baseline = users(context)
    rounds, calls = _rounds(context)
    value, base = paired(
        making_the_agenda(heavy), making_the_agenda(baseline), rounds=rounds, calls=calls
    )
    return Measurement(value=value * 1000, baseline=base * 1000)
