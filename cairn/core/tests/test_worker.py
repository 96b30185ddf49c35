"""The worker loop, the `cairn worker` command, and real worker processes."""

import logging
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from cairn.core.models import OutboundEmail, WorkerHeartbeat
from cairn.core.tests.processes import cairn_command, cairn_env, query, run_cairn, wait_for
from cairn.core.worker import Worker

NOW = datetime(2030, 5, 17, 9, 0, tzinfo=UTC)
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


# Real `cairn` processes run against a file-based SQLite database in a data directory of their
# own, migrated once per session and copied for each test.


_migrated: list[Path] = []  # other test modules import this fixture: migrate only once


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    if not _migrated:
        data_dir = tmp_path_factory.mktemp("migrated")
        finished = run_cairn("migrate", "--no-input", "-v0", data_dir=data_dir)
        assert finished.returncode == 0, finished.stderr
        _migrated.append(data_dir / "cairn.sqlite3")
    return _migrated[0]


@pytest.fixture
def data_dir(tmp_path, migrated_database) -> Path:
    """A data directory with a migrated SQLite database, for `cairn` subprocesses."""
    data = tmp_path / "data"
    data.mkdir()
    for file in migrated_database.parent.glob("cairn.sqlite3*"):
        shutil.copy(file, data / file.name)
    return data


# The loop, with an injected clock and fake steps.


class Clock:
    def __init__(self, now=NOW):
        self.now = now

    def __call__(self):
        return self.now


class Backlog:
    """A fake step with `items` units of work: each call does one and says whether it did."""

    def __init__(self, items=0):
        self.items = items
        self.calls = []

    def __call__(self, now):
        self.calls.append(now)
        if self.items:
            self.items -= 1
            return True
        return False


def broken_step(now):
    raise RuntimeError("the feed server is on fire")


def worker_with(clock=None, **steps):
    return Worker(steps=steps, clock=clock or Clock(), idle_seconds=0.01, name="test-worker")


@pytest.mark.django_db
class TestWorkerLoop:
    def test_each_step_runs_once_with_the_time_of_the_clock(self):
        first, second = Backlog(), Backlog()
        worker = worker_with(first=first, second=second)
        assert worker.run_once() is False
        assert first.calls == second.calls == [NOW]

    def test_a_round_is_busy_when_any_step_found_work(self):
        worker = worker_with(idle=Backlog(0), busy=Backlog(1))
        assert worker.run_once() is True
        assert worker.run_once() is False

    def test_drain_runs_rounds_until_no_step_has_work(self):
        small, large = Backlog(1), Backlog(3)
        worker = worker_with(small=small, large=large)
        assert worker.drain() == 4  # three busy rounds, then one that finds nothing
        assert (small.items, large.items) == (0, 0)

    def test_drain_gives_up_after_max_rounds(self):
        endless = Backlog(10**6)
        assert worker_with(endless=endless).drain(max_rounds=5) == 5
        assert len(endless.calls) == 5

    def test_each_round_reads_the_clock_again(self):
        clock = Clock()
        step = Backlog()
        worker = worker_with(clock, step=step)
        worker.run_once()
        clock.now = NOW + timedelta(minutes=1)
        worker.run_once()
        assert step.calls == [NOW, NOW + timedelta(minutes=1)]

    def test_only_the_named_steps_run(self):
        chosen, other = Backlog(), Backlog()
        worker_with(chosen=chosen, other=other).run_once(["chosen"])
        assert (len(chosen.calls), len(other.calls)) == (1, 0)

    def test_a_failing_step_does_not_stop_the_others(self, caplog):
        before, after = Backlog(1), Backlog(1)
        worker = worker_with(before=before, broken=broken_step, after=after)
        with caplog.at_level(logging.ERROR, logger="cairn.core.worker"):
            assert worker.run_once() is True
        assert (before.items, after.items) == (0, 0)
        assert "Job step broken failed" in caplog.text
        assert "the feed server is on fire" in caplog.text

    def test_a_failing_step_is_retried_next_round(self):
        calls = []

        def flaky(now):
            calls.append(now)
            if len(calls) == 1:
                raise RuntimeError("temporary")
            return False

        worker = worker_with(flaky=flaky)
        worker.run_once()
        worker.run_once()
        assert len(calls) == 2

    def test_each_round_records_a_heartbeat(self):
        clock = Clock()
        worker = worker_with(clock, one=Backlog(), two=Backlog())
        worker.run_once()
        clock.now = NOW + timedelta(seconds=30)
        worker.run_once()
        beat = WorkerHeartbeat.objects.get()
        assert beat.name == "test-worker"
        assert beat.started_at == NOW
        assert beat.beat_at == NOW + timedelta(seconds=30)
        assert beat.steps_run == 4

    def test_workers_have_distinct_heartbeats(self):
        Worker(steps={}, clock=Clock(), name="a").run_once()
        Worker(steps={}, clock=Clock(), name="b").run_once()
        assert set(WorkerHeartbeat.objects.values_list("name", flat=True)) == {"a", "b"}

    def test_the_default_name_is_the_host_and_process(self):
        assert Worker(steps={}).name.endswith(f":{os.getpid()}")

    def test_stopping_ends_the_loop_after_the_current_step(self):
        later = Backlog()
        worker = worker_with()

        def stopper(now):
            worker.stop()
            return True

        worker.steps = {"stopper": stopper, "later": later}
        worker.run_forever()  # returns instead of looping: that is the test
        assert later.calls == []

    def test_run_forever_keeps_going_while_idle_until_stopped(self):
        worker = worker_with()
        rounds = []

        def counter(now):
            rounds.append(now)
            if len(rounds) == 3:
                worker.stop()
            return False

        worker.steps = {"counter": counter}
        worker.run_forever()
        assert len(rounds) == 3


# The command, in-process.


def queue_mail(count=1, *, due_at=None):
    due_at = due_at or timezone.now() - timedelta(seconds=1)
    return [
        OutboundEmail.objects.create(
            recipients=[f"reader{i}@example.com"],
            message=f"From: cairn@example.com\nTo: reader{i}@example.com\n"
            f"Subject: Note {i}\n\nHello {i}.\n",
            subject=f"Note {i}",
            due_at=due_at,
        )
        for i in range(count)
    ]


@pytest.mark.django_db
class TestWorkerCommand:
    def test_once_delivers_queued_mail_and_exits(self, settings):
        settings.CAIRN_EMAIL_TRANSPORT = LOCMEM
        queue_mail(3)
        out = StringIO()
        call_command("worker", "--once", stdout=out)
        assert sorted(message.to[0] for message in mail.outbox) == [
            "reader0@example.com",
            "reader1@example.com",
            "reader2@example.com",
        ]
        assert not OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).exists()
        assert re.search(r"Worker ran \d+ round\(s\); no work left\.", out.getvalue())
        assert WorkerHeartbeat.objects.exists()

    def test_step_runs_only_that_step(self, settings):
        settings.CAIRN_EMAIL_TRANSPORT = LOCMEM
        queue_mail()
        call_command("worker", "--once", "--step", "core.prune", stdout=StringIO())
        assert mail.outbox == []
        assert OutboundEmail.objects.get().status == OutboundEmail.Status.QUEUED

    def test_an_unknown_step_is_a_clear_error(self):
        with pytest.raises(CommandError) as error:
            call_command("worker", "--once", "--step", "core.nope", "--step", "core.prune")
        message = str(error.value)
        assert message.startswith("Unknown step(s): core.nope. Known: ")
        assert "core.deliver_email" in message
        assert "\n" not in message

    def test_a_non_positive_idle_time_is_refused(self):
        with pytest.raises(CommandError, match="--idle must be a positive"):
            call_command("worker", "--idle", "0")

    def test_it_restores_the_signal_handlers_it_replaced(self):
        before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        call_command("worker", "--once", "--step", "core.prune", stdout=StringIO())
        assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


def test_an_unknown_step_is_one_line_and_a_non_zero_exit(data_dir):
    finished = run_cairn("worker", "--step", "nope", data_dir=data_dir)
    assert finished.returncode != 0
    assert finished.stderr.strip().splitlines()[-1].startswith("CommandError: Unknown step(s)")
    assert "Traceback" not in finished.stderr


# Real worker processes.


def test_sigterm_makes_a_running_worker_exit_cleanly(data_dir):
    database = data_dir / "cairn.sqlite3"
    worker = subprocess.Popen(
        cairn_command("worker", "--idle", "0.2"),
        env=cairn_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(
            lambda: query(database, "SELECT count(*) FROM core_workerheartbeat")[0][0],
            what="the worker's first heartbeat",
        )
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, stderr
    assert time.monotonic() - started < 8  # generous: the machine running the tests may be busy
    assert "stopped" in stderr
    assert "Traceback" not in stderr


def test_several_worker_processes_deliver_each_message_exactly_once(data_dir):
    """The production race on SQLite: separate processes, one WAL-mode database file."""
    database = data_dir / "cairn.sqlite3"
    count = 120
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO core_outboundemail (recipients, message, subject, status, due_at, "
            "attempts, last_error, created_at) "
            "VALUES (?, ?, ?, 'queued', '2000-01-01 00:00:00', 0, '', '2000-01-01 00:00:00')",
            [
                (
                    f'["reader{i}@example.com"]',
                    f"From: cairn@example.com\nTo: reader{i}@example.com\nSubject: Race {i}\n\n"
                    f"Body {i}\n",
                    f"Race {i}",
                )
                for i in range(count)
            ],
        )
    workers = [
        subprocess.Popen(
            cairn_command("worker", "--once", "--step", "core.deliver_email"),
            env=cairn_env(data_dir, CAIRN_EMAIL_URL="console://"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = []
    for worker in workers:
        stdout, stderr = worker.communicate(timeout=60)
        assert worker.returncode == 0, stderr
        outputs.append(stdout)
    printed = Counter(re.findall(r"^Subject: (Race \d+)$", "".join(outputs), re.MULTILINE))
    assert set(printed) == {f"Race {i}" for i in range(count)}
    assert max(printed.values()) == 1, "a message was delivered twice"
    assert query(database, "SELECT status, count(*) FROM core_outboundemail GROUP BY status") == [
        ("sent", count)
    ]
