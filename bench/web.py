"""Web benchmarks: pages served by gunicorn, measured against a bare Django view."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bench.runner import ROOT, Context, Measurement, benchmark

HOST = "127.0.0.1"  # the benchmarks only ever talk to this machine
BARE = "/bench/bare/"
TODAY = "/"
CLIENT_THREADS = 4
SERVER_WORKERS = 2


@dataclass(frozen=True)
class Load:
    """How hard and how long to drive one URL in one round."""

    seconds: float
    max_requests: int
    rounds: int


FULL = Load(seconds=3.0, max_requests=30_000, rounds=3)
QUICK = Load(seconds=0.5, max_requests=2_000, rounds=1)


@benchmark("web.page_vs_bare_view", unit="req/s", goal="ratio >= 0.5")
def page_vs_bare_view(context: Context) -> Measurement:
    """Requests/second of the Today page for the heavy user ÷ those of a bare view."""
    load = QUICK if context.quick else FULL
    cookie = login_cookie(context.user_email)
    with server(context) as port:
        for path in (BARE, TODAY):
            rate(port, path, cookie, Load(seconds=0.3, max_requests=50, rounds=1), threads=2)
        best = {BARE: 0.0, TODAY: 0.0}
        # Alternate the two URLs and keep each one's best round: background noise on the
        # machine then penalises neither side.
        for _ in range(load.rounds):
            for path in (BARE, TODAY):
                best[path] = max(best[path], rate(port, path, cookie, load))
    return Measurement(value=best[TODAY], baseline=best[BARE])


def login_cookie(email: str) -> str:
    """A Cookie header for a fresh session of `email`, stored in the bench database."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from cairn.accounts.models import User

    user = User.objects.get(email=email)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def server(context: Context) -> Iterator[int]:
    """gunicorn serving bench.wsgi on a free local port; always stopped on the way out."""
    port = free_port()
    log_path = context.log_dir / "gunicorn.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={SERVER_WORKERS}",
                "--worker-class=gthread",
                f"--threads={CLIENT_THREADS}",
                "--keep-alive=5",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_listening(port, process, log_path)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(port: int, process: subprocess.Popen, log_path, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}; see {log_path}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not listen on {HOST}:{port} within {timeout:.0f} s")


def rate(port: int, path: str, cookie: str, load: Load, *, threads: int = CLIENT_THREADS) -> float:
    """Requests/second that `threads` keep-alive clients get for GET `path` in one round.

    Every answer must be a 200: a redirect to the login page would measure the wrong thing.
    """
    done = [0] * threads
    errors: list[str] = []
    per_thread = max(1, load.max_requests // threads)
    start = threading.Barrier(threads + 1)

    def client(slot: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        start.wait()
        deadline = time.perf_counter() + load.seconds
        try:
            while done[slot] < per_thread and time.perf_counter() < deadline:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"GET {path} answered {response.status}, not 200")
                    return
                done[slot] += 1
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"GET {path} failed: {error!r}")
        finally:
            connection.close()

    workers = [threading.Thread(target=client, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    if errors:
        raise RuntimeError(errors[0])
    return sum(done) / elapsed
