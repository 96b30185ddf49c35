"""Claiming due rows with a conditional UPDATE: one winner per row, leases that expire."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from cairn.core.jobs import STEPS, claim, claimable, step, take
from cairn.core.models import OutboundEmail

NOW = datetime(2030, 5, 17, 9, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def queue(count=1, *, due_at=NOW, **fields):
    return [
        OutboundEmail.objects.create(
            recipients=[f"person{i}@example.com"],
            message="Subject: hello\n\nhi\n",
            subject="hello",
            due_at=due_at,
            **fields,
        ).pk
        for i in range(count)
    ]


def queued():
    return OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED)


@pytest.mark.django_db
class TestClaim:
    def test_it_claims_due_rows_oldest_first(self):
        later = queue(due_at=NOW - timedelta(minutes=1))
        earlier = queue(due_at=NOW - timedelta(hours=1))
        assert claim(queued(), now=NOW, lease=LEASE) == earlier + later

    def test_it_leases_what_it_claims(self):
        [pk] = queue()
        claim(queued(), now=NOW, lease=LEASE)
        assert OutboundEmail.objects.get(pk=pk).leased_until == NOW + LEASE

    def test_it_does_not_claim_rows_that_are_not_due(self):
        queue(due_at=NOW + timedelta(seconds=1))
        assert claim(queued(), now=NOW, lease=LEASE) == []

    def test_a_row_due_exactly_now_is_due(self):
        ids = queue(due_at=NOW)
        assert claim(queued(), now=NOW, lease=LEASE) == ids

    def test_it_only_claims_rows_of_the_queryset(self):
        queue(status=OutboundEmail.Status.SENT)
        queue(status=OutboundEmail.Status.FAILED)
        assert claim(queued(), now=NOW, lease=LEASE) == []

    def test_it_claims_at_most_the_limit(self):
        ids = queue(5)
        assert claim(queued(), now=NOW, lease=LEASE, limit=2) == ids[:2]
        assert claim(queued(), now=NOW, lease=LEASE, limit=10) == ids[2:]

    def test_a_leased_row_is_not_claimed_again_while_the_lease_runs(self):
        queue()
        assert claim(queued(), now=NOW, lease=LEASE)
        assert claim(queued(), now=NOW + LEASE - timedelta(seconds=1), lease=LEASE) == []

    def test_when_the_lease_expires_another_worker_retakes_the_row(self):
        # The first worker crashed after claiming: nobody cleared the lease.
        ids = queue()
        assert claim(queued(), now=NOW, lease=LEASE) == ids
        later = NOW + LEASE + timedelta(seconds=1)
        assert claim(queued(), now=later, lease=LEASE) == ids
        assert OutboundEmail.objects.get(pk=ids[0]).leased_until == later + LEASE

    def test_it_claims_by_another_due_field(self):
        ids = queue(due_at=NOW + timedelta(days=1))
        OutboundEmail.objects.filter(pk__in=ids).update(created_at=NOW - timedelta(days=1))
        assert claim(queued(), now=NOW, lease=LEASE, due_field="created_at") == ids


@pytest.mark.django_db
class TestTwoClaimersRacing:
    """Both workers read the same candidates before either writes: the UPDATE decides."""

    def test_only_one_of_two_claimers_wins_a_row(self):
        ids = queue(3)
        first_read = claimable(queued(), now=NOW)
        second_read = claimable(queued(), now=NOW)
        assert first_read == second_read == ids

        first = [pk for pk in first_read if take(queued(), pk, now=NOW, lease=LEASE)]
        second = [pk for pk in second_read if take(queued(), pk, now=NOW, lease=LEASE)]

        assert first == ids
        assert second == []

    def test_they_share_the_rows_when_their_writes_interleave(self):
        ids = queue(4)
        first_read = claimable(queued(), now=NOW)
        second_read = claimable(queued(), now=NOW)
        won = {"first": [], "second": []}
        for pk_first, pk_second in zip(first_read, reversed(second_read), strict=True):
            if take(queued(), pk_first, now=NOW, lease=LEASE):
                won["first"].append(pk_first)
            if take(queued(), pk_second, now=NOW, lease=LEASE):
                won["second"].append(pk_second)
        assert sorted(won["first"] + won["second"]) == ids
        assert not set(won["first"]) & set(won["second"])

    def test_a_row_finished_between_the_read_and_the_update_is_not_taken(self):
        # The other worker claimed, sent and released the row while this one was reading.
        [pk] = queue()
        [candidate] = claimable(queued(), now=NOW)
        assert claim(queued(), now=NOW, lease=LEASE) == [pk]
        OutboundEmail.objects.filter(pk=pk).update(
            status=OutboundEmail.Status.SENT, leased_until=None
        )
        assert not take(queued(), candidate, now=NOW, lease=LEASE)

    def test_a_row_rescheduled_between_the_read_and_the_update_is_not_taken(self):
        # The other worker failed to send it and moved it later, releasing its lease.
        [pk] = queue()
        [candidate] = claimable(queued(), now=NOW)
        OutboundEmail.objects.filter(pk=pk).update(due_at=NOW + timedelta(minutes=2))
        assert not take(queued(), candidate, now=NOW, lease=LEASE)


def test_threads_racing_on_the_real_database_never_share_a_row(transactional_db):
    """Several connections read the same candidates, wait for each other, then all UPDATE.

    On SQLite the in-memory test database is shared between threads (shared cache); on
    PostgreSQL each thread has its own connection to the test database.
    """
    ids = queue(12)
    claimers = 4
    barrier = threading.Barrier(claimers, timeout=10)
    won: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def claimer(number):
        try:
            candidates = claimable(queued(), now=NOW, limit=len(ids))
            barrier.wait()  # nobody writes before everybody has read
            won[number] = [pk for pk in candidates if take(queued(), pk, now=NOW, lease=LEASE)]
        except BaseException as error:
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    taken = [pk for pks in won.values() for pk in pks]
    assert sorted(taken) == ids, "every row is claimed exactly once"
    assert OutboundEmail.objects.filter(leased_until=NOW + LEASE).count() == len(ids)


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database is one shared cache, where a read that meets "
    "another thread's write fails at once ('table is locked') instead of waiting; real SQLite "
    "is a WAL file, raced by worker processes in test_worker.py",
)
def test_threads_calling_claim_together_never_share_a_row(transactional_db):
    ids = queue(30)
    claimers = 3
    barrier = threading.Barrier(claimers, timeout=10)
    won: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def claimer(number):
        try:
            barrier.wait()
            mine = []
            while batch := claim(queued(), now=NOW, lease=LEASE, limit=4):
                mine.extend(batch)
            won[number] = mine
        except BaseException as error:
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(claimers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(pk for pks in won.values() for pk in pks) == ids


class TestRegistry:
    def test_the_built_in_steps_are_registered(self):
        assert {"core.deliver_email", "core.prune"} <= set(STEPS)

    def test_a_name_cannot_be_registered_twice(self):
        with pytest.raises(ValueError, match="registered twice"):
            step("core.prune")(lambda now: False)

    def test_registering_the_same_function_again_is_harmless(self):
        assert step("core.prune")(STEPS["core.prune"]) is STEPS["core.prune"]


@pytest.mark.django_db
def test_sqlite_statistics_are_refreshed_about_once_a_day(monkeypatch):
    from django.db import connection

    from cairn.core import jobs

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its statistics itself")
    monkeypatch.setattr(jobs, "_statistics_refreshed", {})
    now = timezone.now()
    jobs.refresh_statistics(now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1
    assert jobs._statistics_refreshed[connection.alias] == now
    jobs.refresh_statistics(now + timedelta(hours=1))
    assert jobs._statistics_refreshed[connection.alias] == now
    jobs.refresh_statistics(now + timedelta(hours=25))
    assert jobs._statistics_refreshed[connection.alias] == now + timedelta(hours=25)
