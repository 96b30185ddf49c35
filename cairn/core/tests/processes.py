"""Real `cairn` processes for tests, run as an operator would: a clean environment each time.

Nothing leaks in from the test run (its data directory, a PostgreSQL DATABASE_URL): each
process gets a data directory of its own and only the variables a test names.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def cairn_env(data_dir: Path, **variables: str) -> dict[str, str]:
    """The test run's environment without any Cairn or database setting, plus `variables`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CAIRN_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(CAIRN_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    env.update(variables)
    return env


def cairn_command(*args: str) -> list[str]:
    """`python -m cairn ARGS…`: the form `cairn serve` uses for its worker child too."""
    return [sys.executable, "-m", "cairn", *args]


def cairn_script(*args: str) -> list[str]:
    """The installed `cairn` console script, as an operator types it (or `-m cairn`)."""
    script = Path(sys.executable).with_name("cairn")
    return [str(script), *args] if script.exists() else cairn_command(*args)


def run_cairn(
    *args: str,
    data_dir: Path,
    input: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    **variables: str,
) -> subprocess.CompletedProcess:
    """Run `cairn ARGS…` to the end with a clean environment rooted in `data_dir`."""
    return subprocess.run(
        cairn_script(*args),
        input=input,
        capture_output=True,
        text=True,
        env=env if env is not None else cairn_env(data_dir, **variables),
        timeout=timeout,
        check=False,
    )


def run_python(code: str, *, data_dir: Path, **variables: str) -> subprocess.CompletedProcess:
    """Run Python code with Cairn's settings and a clean environment rooted in `data_dir`."""
    env = cairn_env(data_dir, DJANGO_SETTINGS_MODULE="cairn.settings", **variables)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """The single line a failing command printed; fails on a traceback or a wall of text."""
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def wait_for(condition, *, timeout: float = 20.0, what: str = "the condition"):
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def query(database: Path, sql: str, *parameters):
    with sqlite3.connect(database, timeout=10) as db:
        return db.execute(sql, parameters).fetchall()
