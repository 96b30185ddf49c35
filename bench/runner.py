"""The benchmark runner.

`cairn bench` calls `run()` in its own process, which never opens the operator's database: every
measurement happens in a child process (`python -m bench …`) whose CAIRN_DATA_DIR and
DATABASE_URL point into the bench directory. The heavy user is built there once and reused
until the schema, the demo generator or the month changes.

A benchmark is a function registered with `@benchmark(...)` that returns a `Measurement`: the
figure it is about and a baseline measured in the same run, so that the ratio says something
on any machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import operator
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent  # the source checkout: cairn/ and bench/
# One module per area, each registering its benchmarks.
AREAS = ("web", "demo", "network", "today", "exchange")
BENCH_USER = "bench@example.com"
SEED = 1
TIMEOUT_SECONDS = {"heavy": 1800, "quick": 300}


class BenchError(Exception):
    """A request the runner cannot honour (an unknown name): one line for the person."""


@dataclass(frozen=True)
class Measurement:
    value: float
    baseline: float


@dataclass(frozen=True)
class Context:
    """What a benchmark gets in its child process."""

    quick: bool
    size_name: str  # a cairn.core.demo size
    data_dir: Path
    log_dir: Path
    user_email: str


@dataclass(frozen=True)
class Benchmark:
    name: str
    unit: str
    goal: str
    # "heavy": runs against the cached heavy user; "fresh": gets an empty, migrated database.
    database: str
    measure: Callable[[Context], Measurement]


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(
    name: str, *, unit: str, goal: str, database: str = "heavy"
) -> Callable[[Callable[[Context], Measurement]], Callable[[Context], Measurement]]:
    """Register a benchmark named `area.what` with its unit and goal (e.g. `ratio >= 0.5`)."""
    parse_goal(goal)
    if database not in ("heavy", "fresh"):
        raise ValueError(f"Benchmark {name}: database must be 'heavy' or 'fresh'.")

    def register(measure: Callable[[Context], Measurement]) -> Callable[[Context], Measurement]:
        BENCHMARKS[name] = Benchmark(name, unit, goal, database, measure)
        return measure

    return register


def load() -> dict[str, Benchmark]:
    """Every benchmark, by name, in the order the areas list them."""
    for area in AREAS:
        import_module(f"bench.{area}")
    return BENCHMARKS


# --- Goals and results -----------------------------------------------------------------------

_GOAL = re.compile(r"^(ratio|value) (<=|>=|<|>) (-?\d+(?:\.\d+)?)$")
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def parse_goal(goal: str) -> tuple[str, Callable[[float, float], bool], float]:
    """`"ratio >= 0.5"` → ("ratio", ≥, 0.5); anything else is a ValueError."""
    match = _GOAL.match(goal)
    if match is None:
        raise ValueError(f"A goal reads like 'ratio >= 0.5' or 'value < 60', not {goal!r}.")
    subject, sign, threshold = match.groups()
    return subject, _COMPARE[sign], float(threshold)


@dataclass(frozen=True)
class Result:
    name: str
    value: float | None
    baseline: float | None
    ratio: float | None
    unit: str
    goal: str
    ok: bool
    error: str | None = None

    @classmethod
    def measured(cls, bench: Benchmark, value: float, baseline: float) -> Result:
        ratio = value / baseline if baseline else None
        subject, compare, threshold = parse_goal(bench.goal)
        figure = ratio if subject == "ratio" else value
        ok = figure is not None and compare(figure, threshold)
        return cls(bench.name, value, baseline, ratio, bench.unit, bench.goal, ok)

    @classmethod
    def crashed(cls, bench: Benchmark, error: str) -> Result:
        return cls(bench.name, None, None, None, bench.unit, bench.goal, False, error)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "value": self.value,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "unit": self.unit,
            "goal": self.goal,
            "ok": self.ok,
        }
        if self.error:
            data["error"] = self.error
        return data


def select(names: Iterable[str]) -> list[Benchmark]:
    """The benchmarks named (`web.page_vs_bare_view`) or in the areas named (`web`); all if none."""
    known = load()
    wanted = list(names)
    if not wanted:
        return list(known.values())
    chosen: list[Benchmark] = []
    for name in wanted:
        matches = [b for b in known.values() if name in (b.name, b.name.split(".")[0])]
        if not matches:
            raise BenchError(f"No benchmark called {name!r}. Known: {', '.join(known)}.")
        chosen.extend(b for b in matches if b not in chosen)
    return chosen


# --- Parent side: prepare the bench databases, run each benchmark in a child -----------------


def run(
    names: Iterable[str], *, quick: bool, bench_dir: Path, say: Callable[[str], None]
) -> list[Result]:
    """Run the chosen benchmarks, each in its own child process, and collect their results."""
    chosen = select(names)
    variant = "quick" if quick else "heavy"
    log_dir = bench_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    prepare_error = None
    if any(b.database == "heavy" for b in chosen):
        prepare_error = _prepare(bench_dir / variant, variant, log_dir, say)
    results = []
    for bench in chosen:
        if bench.database == "heavy" and prepare_error:
            results.append(Result.crashed(bench, prepare_error))
            continue
        data_dir = bench_dir / variant
        if bench.database == "fresh":
            data_dir = bench_dir / f"{variant}-fresh"
            _wipe(data_dir)
        say(f"{bench.name} …")
        out = log_dir / f"{bench.name}.json"
        out.unlink(missing_ok=True)
        args = ["measure", bench.name, "--variant", variant, "--out", str(out)]
        error = _child(args, data_dir, log_dir / f"{bench.name}.log", variant)
        if error is None:
            figures = json.loads(out.read_text())
            results.append(Result.measured(bench, figures["value"], figures["baseline"]))
        else:
            results.append(Result.crashed(bench, error))
        if bench.database == "fresh":
            shutil.rmtree(data_dir, ignore_errors=True)
    return results


def fingerprint(variant: str) -> str:
    """What the cached heavy user depends on: schema, generator, size, and the month."""
    import django

    digest = hashlib.sha256(
        f"{variant}|{SEED}|{BENCH_USER}|{date.today():%Y-%m}|{django.__version__}".encode()
    )
    sources = sorted(ROOT.glob("cairn/**/migrations/*.py")) + sorted(ROOT.glob("cairn/**/demo.py"))
    for path in [*sources, ROOT / "bench" / "runner.py"]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _prepare(data_dir: Path, variant: str, log_dir: Path, say: Callable[[str], None]) -> str | None:
    """Build the bench user in `data_dir` unless an up-to-date one is there; return any error."""
    stamp = data_dir / "fingerprint"
    wanted = fingerprint(variant)
    if stamp.is_file() and stamp.read_text() == wanted and (data_dir / "cairn.sqlite3").is_file():
        return None
    say(f"Building the {variant} bench user in {data_dir} (once; reused by later runs) …")
    _wipe(data_dir)
    error = _child(["prepare", "--variant", variant], data_dir, log_dir / "prepare.log", variant)
    if error is None:
        stamp.write_text(wanted)
        return None
    return f"building the {variant} bench user failed: {error}"


def _wipe(data_dir: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)


def child_environment(data_dir: Path) -> dict[str, str]:
    """The operator's environment without Cairn's settings, pointed at the bench database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CAIRN_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        CAIRN_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'cairn.sqlite3'}",
        CAIRN_EMAIL_URL="console://",
        CAIRN_LOG_LEVEL="warning",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


def _child(args: list[str], data_dir: Path, log_path: Path, variant: str) -> str | None:
    """Run `python -m bench ARGS` against `data_dir`; None if it succeeded, else the error."""
    timeout = TIMEOUT_SECONDS[variant]
    with log_path.open("w") as log:
        # Its own process group, so that the child and any server it started can be stopped
        # together if it hangs or the run is interrupted.
        child = subprocess.Popen(
            [sys.executable, "-m", "bench", *args],
            cwd=ROOT,
            env=child_environment(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop_group(child)
            return f"no result within {timeout} s (log: {log_path})"
        except BaseException:
            _stop_group(child)
            raise
    if code == 0:
        return None
    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    last = lines[-1].strip() if lines else f"exit status {code}"
    return f"{last} (log: {log_path})"


def _stop_group(child: subprocess.Popen) -> None:
    for signum, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(child.pid, signum)
        except ProcessLookupError:
            return
        try:
            child.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


# --- Child side ------------------------------------------------------------------------------


def build_user(email: str, size_name: str) -> None:
    """Create the account `email` and fill it with demo data of the given size."""
    from django.db import transaction
    from django.utils import timezone

    from cairn.accounts.services import user_create
    from cairn.core.demo import DEMO_PASSWORD, demo_fill

    with transaction.atomic():
        user = user_create(email=email, password=DEMO_PASSWORD)
        demo_fill(user=user, size=size_name, seed=SEED, today=timezone.localdate())


def child_main(argv: list[str]) -> int:
    """Entry point of `python -m bench`: `prepare --variant V` or `measure NAME --variant V`."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare")
    prepare.add_argument("--variant", choices=list(TIMEOUT_SECONDS), required=True)
    measure = commands.add_parser("measure")
    measure.add_argument("name")
    measure.add_argument("--variant", choices=list(TIMEOUT_SECONDS), required=True)
    measure.add_argument("--out", type=Path, required=True)
    options = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if options.command == "prepare":
        build_user(BENCH_USER, options.variant)
        return 0
    bench = load()[options.name]
    context = Context(
        quick=options.variant == "quick",
        size_name=options.variant,
        data_dir=Path(settings.DATA_DIR),
        log_dir=options.out.parent,
        user_email=BENCH_USER,
    )
    figures = bench.measure(context)
    options.out.write_text(json.dumps({"value": figures.value, "baseline": figures.baseline}))
    return 0
