"""`cairn serve`: gunicorn and a supervised worker child, stopped together, no orphans."""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cairn.core.management.commands.serve import WorkerSupervisor, listen_problem
from cairn.core.tests.processes import cairn_command, cairn_env, run_cairn, wait_for
from cairn.core.tests.test_worker import data_dir, migrated_database  # noqa: F401 (fixtures)

needs_proc = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="finds child processes through Linux's /proc"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_state(pid: int) -> str | None:
    """The /proc state letter of `pid` ('R', 'S', 'Z' …), or None when it does not exist."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def running(pid: int) -> bool:
    return process_state(pid) not in (None, "Z")


def children_of(pid: int) -> dict[int, str]:
    """The running children of `pid` and their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = command
    return found


def python(code: str) -> list[str]:
    return [sys.executable, "-S", "-c", code]  # -S: no site packages, a quicker start


# The supervisor, on stand-in child processes.


class TestWorkerSupervisor:
    def test_it_restarts_a_child_that_dies_with_a_growing_delay(self, caplog):
        supervisor = WorkerSupervisor(python("raise SystemExit(1)"), backoff=(0.05, 0.1))
        with caplog.at_level(logging.ERROR, logger="cairn.serve"):
            supervisor.start()
            try:
                wait_for(lambda: supervisor.restarts >= 3, what="three restarts")
            finally:
                supervisor.stop()
        delays = [r.getMessage().rsplit(" ", 1)[-1] for r in caplog.records]
        assert delays[:3] == ["0.05s.", "0.1s.", "0.1s."]
        assert "stopped unexpectedly" in caplog.records[0].getMessage()

    def test_stop_ends_the_child_with_sigterm_and_stops_restarting(self):
        supervisor = WorkerSupervisor(python("import time; time.sleep(60)"), backoff=(0.01,))
        supervisor.start()
        pid = wait_for(lambda: supervisor.pid, what="the child")
        started = time.monotonic()
        supervisor.stop()
        assert time.monotonic() - started < 5
        assert not running(pid)
        assert supervisor._process.returncode == -signal.SIGTERM
        time.sleep(0.1)
        assert supervisor.pid == pid, "no new child after stop()"
        assert supervisor.restarts == 0

    def test_a_child_that_ignores_sigterm_is_killed_after_the_timeout(self, tmp_path):
        ready = tmp_path / "ready"
        stubborn = python(
            "import pathlib, signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            f"pathlib.Path({str(ready)!r}).touch(); time.sleep(60)"
        )
        supervisor = WorkerSupervisor(stubborn, stop_timeout=0.3)
        supervisor.start()
        wait_for(ready.exists, what="the child to ignore SIGTERM")
        supervisor.stop()
        assert supervisor._process.returncode == -signal.SIGKILL
        assert not running(supervisor.pid)

    def test_stop_is_safe_before_start_and_twice(self):
        supervisor = WorkerSupervisor(python("pass"))
        supervisor.stop()
        supervisor.stop()
        supervisor.start()  # after stop(): starts nothing
        time.sleep(0.1)
        assert supervisor.pid is None


class TestListenProblem:
    def test_a_free_port_has_none(self):
        assert listen_problem("127.0.0.1", free_port()) is None

    def test_a_port_in_use_says_so_in_one_sentence(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            problem = listen_problem("127.0.0.1", port)
        assert problem.startswith(f"Port {port} on 127.0.0.1 is already in use")
        assert "--port" in problem
        assert "\n" not in problem

    def test_an_address_that_is_not_this_machines_is_explained(self):
        problem = listen_problem("192.0.2.1", free_port())  # TEST-NET-1: never local
        assert problem.startswith("Cannot listen on 192.0.2.1:")


# The real command.


def get_json(url: str):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    try:
        with opener.open(url, timeout=2) as response:
            return response.status, json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, None


@needs_proc
def test_serve_runs_the_site_and_a_worker_and_stops_both(data_dir):  # noqa: F811
    port = free_port()
    serve = subprocess.Popen(
        cairn_command("serve", "--port", str(port), "--workers", "1"),
        env=cairn_env(data_dir, CAIRN_EMAIL_URL="console://"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    healthz = f"http://127.0.0.1:{port}/healthz"
    try:
        wait_for(lambda: get_json(healthz)[0] == 200, timeout=60, what="/healthz to answer")
        wait_for(
            lambda: get_json(healthz)[1]["worker"]["status"] == "ok",
            timeout=30,
            what="the worker's heartbeat",
        )
        children = children_of(serve.pid)
        workers = [pid for pid, command in children.items() if "cairn worker" in command]
        assert len(workers) == 1, children
        web = set(children) - set(workers)
        assert web, "gunicorn runs its web processes as children"

        # A worker that dies is replaced.
        (worker,) = workers
        os.kill(worker, signal.SIGKILL)
        replacement = wait_for(
            lambda: [
                pid
                for pid, command in children_of(serve.pid).items()
                if "cairn worker" in command and pid != worker
            ],
            timeout=30,
            what="a new worker",
        )

        serve.send_signal(signal.SIGTERM)
        stdout, stderr = serve.communicate(timeout=30)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()
    assert serve.returncode == 0, stderr
    assert f"Cairn is running at http://127.0.0.1:{port}/" in stdout
    assert "stopped unexpectedly" in stderr
    for pid in [*replacement, *web]:
        assert wait_for(lambda pid=pid: not running(pid), timeout=5, what=f"{pid} to be gone")


@needs_proc
def test_a_worker_started_with_its_parent_stops_when_the_parent_is_killed(data_dir):  # noqa: F811
    # A shell stands in for `cairn serve`: SIGKILL gives it no chance to stop its child.
    worker = " ".join(cairn_command("worker", "--parent-pid"))
    parent = subprocess.Popen(
        ["sh", "-c", f"{worker} $$ >/dev/null 2>&1 & echo $!; wait"],
        env=cairn_env(data_dir, CAIRN_EMAIL_URL="console://"),
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    try:
        assert wait_for(lambda: running(child), timeout=10, what="the worker to start")
        parent.kill()
        parent.wait(timeout=10)
        assert wait_for(lambda: not running(child), timeout=20, what="the orphan to stop")
    finally:
        if running(child):
            os.kill(child, signal.SIGKILL)


def test_a_port_in_use_is_a_one_line_error(data_dir):  # noqa: F811
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = run_cairn(
            "serve", "--port", str(port), data_dir=data_dir, CAIRN_EMAIL_URL="console://"
        )
    assert finished.returncode != 0
    assert "Traceback" not in finished.stderr
    errors = [line for line in finished.stderr.splitlines() if "Error" in line]
    assert errors == [
        f"CommandError: Port {port} on 127.0.0.1 is already in use (is Cairn already running?); "
        "stop that program or choose another port with --port."
    ]
