"""The worker loop: run every registered step until none has work, then sleep a little."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import DatabaseError, connections
from django.utils import timezone

from cairn.core.jobs import STEPS, Step
from cairn.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)


def _release_connections() -> None:
    """Drop broken or expired database connections between steps, as Django does per request.

    A connection inside a transaction is left alone: closing it would abort the transaction
    (a step run inside `atomic()`, e.g. by a test, keeps its connection).
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Worker:
    """Runs job steps; `stop()` (or SIGTERM via the command) ends it after the current step."""

    def __init__(
        self,
        *,
        steps: dict[str, Step] | None = None,
        clock: Callable[[], datetime] = timezone.now,
        idle_seconds: float = 2.0,
        name: str | None = None,
    ):
        self.steps = STEPS if steps is None else steps
        self.clock = clock
        self.idle_seconds = idle_seconds
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = threading.Event()
        self.started_at = clock()
        self.steps_run = 0

    def stop(self) -> None:
        self.stopping.set()

    def beat(self) -> None:
        """Record that this worker is alive (read by /healthz)."""
        now = self.clock()
        WorkerHeartbeat.objects.update_or_create(
            name=self.name,
            defaults={"beat_at": now, "started_at": self.started_at, "steps_run": self.steps_run},
        )

    def run_once(self, names: Iterable[str] | None = None) -> bool:
        """Run each step once; True if any of them found work."""
        busy = False
        for name in names or list(self.steps):
            if self.stopping.is_set():
                break
            try:
                did = self.steps[name](self.clock())
            except Exception:
                # One broken step must not stop the others; it is retried next round.
                log.exception("Job step %s failed", name)
                did = False
            finally:
                _release_connections()
            self.steps_run += 1
            busy = busy or did
        try:
            self.beat()
        except DatabaseError as error:
            # The database may be restarting: keep going, the next round beats again.
            log.warning("Worker %s could not record its heartbeat: %s", self.name, error)
            _release_connections()
        return busy

    def drain(self, max_rounds: int = 1000) -> int:
        """Run rounds until no step has work (for `--once` and tests); returns rounds run."""
        for round_number in range(1, max_rounds + 1):
            if not self.run_once() or self.stopping.is_set():
                return round_number
        return max_rounds

    def run_forever(self) -> None:
        log.info("Worker %s running steps: %s", self.name, ", ".join(self.steps))
        while not self.stopping.is_set():
            if not self.run_once():
                self.stopping.wait(self.idle_seconds)
        log.info("Worker %s stopped", self.name)
