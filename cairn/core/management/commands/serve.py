"""`cairn serve`: the web app under gunicorn, with a background worker alongside it.

This is the single-user shape: one command runs everything. Larger installations run
`gunicorn cairn.wsgi` and `cairn worker` as separate services instead (docs/self-hosting.md).
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

log = logging.getLogger("cairn.serve")

WORKER_COMMAND = (sys.executable, "-m", "cairn", "worker", "--parent-pid", str(os.getpid()))

# Gunicorn forks its web processes from the main thread while the supervisor thread may be
# starting the worker. A fork in the middle of Popen hands the web process a copy of Popen's
# private pipe, and Popen then waits for that web process to exit. One lock keeps the two
# apart.
FORK_LOCK = threading.Lock()


class WorkerSupervisor:
    """Keeps one worker child process running until `stop()`.

    A worker that dies is restarted after a growing delay (reset once it has stayed up for
    `stable_after` seconds); `stop()` sends SIGTERM, waits `stop_timeout`, then kills.
    """

    def __init__(
        self,
        command: Sequence[str] = WORKER_COMMAND,
        *,
        backoff: Sequence[float] = (1, 2, 5, 10, 30, 60),
        stable_after: float = 60.0,
        stop_timeout: float = 10.0,
    ):
        self.command = list(command)
        self.backoff = list(backoff)
        self.stable_after = stable_after
        self.stop_timeout = stop_timeout
        self.restarts = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._supervise, name="worker-supervisor")
        self._thread.daemon = True
        self._thread.start()

    def _spawn(self) -> subprocess.Popen | None:
        with self._lock:  # stop() either sees this process or prevents it from starting
            if self._stopping.is_set():
                return None
            # A session of its own: Ctrl-C in the terminal reaches `serve` only, which then
            # stops the worker itself, so a deliberate stop is never mistaken for a crash.
            with FORK_LOCK:
                self._process = subprocess.Popen(self.command, start_new_session=True)  # noqa: S603
            return self._process

    def _supervise(self) -> None:
        failures = 0
        while (process := self._spawn()) is not None:
            started = time.monotonic()
            process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= self.stable_after:
                failures = 0
            delay = self.backoff[min(failures, len(self.backoff) - 1)]
            failures += 1
            # The exit code is not reported: gunicorn's arbiter reaps every child of this
            # process, ours included, and logs the code itself.
            log.error(
                "The background worker (pid %d) stopped unexpectedly; restarting it in %gs.",
                process.pid,
                delay,
            )
            if self._stopping.wait(delay):
                return
            self.restarts += 1

    def stop(self) -> None:
        """Stop the worker and stop restarting it; safe to call more than once."""
        with self._lock:
            self._stopping.set()
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                log.warning(
                    "The background worker did not stop within %gs; killing it.",
                    self.stop_timeout,
                )
                process.kill()
                process.wait()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.stop_timeout)


def listen_problem(host: str, port: int) -> str | None:
    """Why nothing could listen on host:port, in one sentence; None when it can."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        return f"Cannot listen on {host}:{port}: {error.strerror}."
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"Port {port} on {host} is already in use (is Cairn already running?); "
                    "stop that program or choose another port with --port."
                )
            return f"Cannot listen on {host}:{port}: {error.strerror}."
    return None


class _Arbiter(Arbiter):
    def spawn_worker(self):
        with FORK_LOCK:
            return super().spawn_worker()


class _Gunicorn(BaseApplication):
    """Gunicorn configured from a dict rather than its own command line."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def run(self) -> None:
        try:
            _Arbiter(self).run()
        except RuntimeError as error:  # gunicorn's own way of reporting a bad setup
            sys.exit(f"cairn serve: {error}")

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from cairn.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve Cairn on the web, with the background worker alongside (single-user setup)."
    requires_migrations_checks = True

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port (default 8000).")
        parser.add_argument(
            "--workers", type=int, default=2, help="Web server processes (default 2)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run the background worker (when `cairn worker` runs elsewhere).",
        )

    def handle(self, *args, host, port, workers, no_worker, **options):
        host = host.strip("[]")  # an IPv6 address may come bracketed, as in a URL
        if not 1 <= port <= 65535:
            raise CommandError(f"--port must be between 1 and 65535 (got {port}).")
        if workers < 1:
            raise CommandError(f"--workers must be at least 1 (got {workers}).")
        problem = listen_problem(host, port)
        if problem:
            raise CommandError(problem)

        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        supervisor = None if no_worker else WorkerSupervisor()
        serving_pid = os.getpid()

        def when_ready(server):
            if supervisor is not None:
                supervisor.start()
            worker = "without the background worker" if no_worker else "with its worker"
            self.stdout.write(f"Cairn is running at http://{address}/ ({worker}); Ctrl-C stops it.")
            self.stdout.flush()

        def on_exit(server):
            if supervisor is not None:
                supervisor.stop()

        # Connections opened by the checks above must not be shared with forked processes.
        connections.close_all()
        app = _Gunicorn(
            {
                "bind": [address],
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "timeout": 60,
                "graceful_timeout": 10,
                "errorlog": "-",
                "loglevel": "info",
                "proc_name": "cairn",
                "when_ready": when_ready,
                "on_exit": on_exit,
            }
        )
        try:
            app.run()
        finally:
            # Gunicorn forks its web processes from this one, and they leave through here too:
            # only the process that started the worker child may stop it.
            if supervisor is not None and os.getpid() == serving_pid:
                supervisor.stop()
