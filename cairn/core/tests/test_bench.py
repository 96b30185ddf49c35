"""`cairn bench` and its runner (the benchmarks themselves run in a subprocess, quick sizes)."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cairn.core.management.commands import bench as bench_command

KEYS = ["name", "value", "baseline", "ratio", "unit", "goal", "ok"]


@pytest.fixture
def runner():
    return bench_command.load_runner()


def bench_environment(tmp_path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CAIRN_") and key != "DATABASE_URL"
    }
    env.update(CAIRN_DATA_DIR=str(tmp_path / "data"), CAIRN_BENCH_DIR=str(tmp_path / "bench"))
    return env


def test_quick_json_run_end_to_end(tmp_path):
    """A smoke run of the runner itself: two areas, quick sizes, well-formed JSON. (CI runs
    every benchmark with --quick in a step of its own.)"""
    done = subprocess.run(
        [sys.executable, "-m", "cairn", "bench", "web", "demo", "--quick", "--json"],
        env=bench_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert [result["name"] for result in results] == [
        "web.page_vs_bare_view",
        "demo.heavy_generation",
    ]
    for result in results:
        assert list(result) == KEYS
        assert result["value"] > 0 and result["baseline"] > 0
        assert result["ratio"] == result["value"] / result["baseline"]
        assert isinstance(result["ok"], bool)
    assert results[0]["unit"] == "req/s" and results[0]["goal"] == "ratio >= 0.5"
    assert results[1]["unit"] == "s" and results[1]["goal"] == "value < 60"
    # The operator's own database was never opened; the bench database was built aside.
    assert not (tmp_path / "data" / "cairn.sqlite3").exists()
    assert (tmp_path / "bench" / "quick" / "cairn.sqlite3").is_file()


def test_a_crashing_benchmark_is_reported_and_fails_the_command(tmp_path, monkeypatch, runner):
    monkeypatch.setenv("CAIRN_BENCH_DIR", str(tmp_path))

    def never_reached(context):
        raise AssertionError("runs in the child, which does not know this benchmark")

    crash = runner.Benchmark("test.crash", "s", "value < 1", "fresh", never_reached)
    monkeypatch.setitem(runner.BENCHMARKS, "test.crash", crash)
    out = StringIO()
    with pytest.raises(CommandError, match="1 benchmark"):
        call_command("bench", "test.crash", "--json", stdout=out, stderr=StringIO())
    [result] = json.loads(out.getvalue())
    assert result["name"] == "test.crash"
    assert result["ok"] is False and result["value"] is None and result["ratio"] is None
    assert "test.crash" in result["error"]
    assert (tmp_path / "logs" / "test.crash.log").is_file()


def test_an_unknown_benchmark_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CAIRN_BENCH_DIR", str(tmp_path))
    with pytest.raises(CommandError, match=r"No benchmark called 'web\.nope'\. Known: web\."):
        call_command("bench", "web.nope")


def test_without_the_source_checkout_it_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_command, "source_root", lambda: tmp_path)
    with pytest.raises(CommandError, match="source checkout"):
        call_command("bench")


def test_names_choose_benchmarks_or_whole_areas(runner):
    assert [b.name for b in runner.select(["web"])] == ["web.page_vs_bare_view"]
    assert [b.name for b in runner.select(["demo.heavy_generation", "demo"])] == [
        "demo.heavy_generation"
    ]
    assert len(runner.select([])) == len(runner.load())
    with pytest.raises(runner.BenchError):
        runner.select(["nope"])


def test_every_benchmark_is_named_area_dot_what(runner):
    for name, bench in runner.load().items():
        assert name.count(".") == 1 and name.split(".")[0] in runner.AREAS
        runner.parse_goal(bench.goal)


@pytest.mark.parametrize(
    ("goal", "value", "baseline", "ok"),
    [
        ("ratio >= 0.5", 60.0, 100.0, True),
        ("ratio >= 0.5", 40.0, 100.0, False),
        ("ratio <= 1.5", 3.0, 2.0, True),
        ("ratio <= 0.2", 3.0, 2.0, False),
        ("value < 60", 59.9, 0.1, True),
        ("value < 60", 60.0, 0.1, False),
    ],
)
def test_ratio_is_value_over_baseline_and_ok_follows_the_goal(runner, goal, value, baseline, ok):
    bench = runner.Benchmark("x.y", "s", goal, "fresh", lambda context: None)
    result = runner.Result.measured(bench, value, baseline)
    assert result.ratio == value / baseline
    assert result.ok is ok
    assert list(result.as_dict()) == KEYS


def test_a_zero_baseline_gives_no_ratio(runner):
    bench = runner.Benchmark("x.y", "s", "ratio <= 2", "fresh", lambda context: None)
    result = runner.Result.measured(bench, 1.0, 0.0)
    assert result.ratio is None and result.ok is False


@pytest.mark.parametrize("goal", ["ratio => 1", "speed < 3", "value < fast", "ratio<=1"])
def test_a_malformed_goal_is_refused(runner, goal):
    with pytest.raises(ValueError, match="goal"):
        runner.parse_goal(goal)


def test_the_table_shows_every_column_and_crashes(runner):
    bench = runner.Benchmark("web.page", "req/s", "ratio >= 0.5", "heavy", lambda context: None)
    text = bench_command.table(
        [runner.Result.measured(bench, 1500.0, 2000.0), runner.Result.crashed(bench, "boom")]
    )
    for word in ["name", "baseline", "ratio", "goal", "1,500", "2,000", "0.75", "yes", "crashed"]:
        assert word in text


def test_children_never_see_the_operators_settings(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/cairn")
    monkeypatch.setenv("CAIRN_SECRET_KEY", "the operator's secret")
    env = runner.child_environment(tmp_path)
    assert env["DATABASE_URL"] == f"sqlite:///{tmp_path / 'cairn.sqlite3'}"
    assert env["CAIRN_DATA_DIR"] == str(tmp_path)
    assert env["DJANGO_SETTINGS_MODULE"] == "bench.settings"
    assert "CAIRN_SECRET_KEY" not in env
