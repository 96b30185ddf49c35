import io
import json
import os
import sys
from importlib import import_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def source_root() -> Path:
    """The directory holding the `cairn` package: in a source checkout, also `bench/`."""
    import cairn

    return Path(cairn.__file__).resolve().parent.parent


def load_runner():
    """The runner of the checkout's `bench/` package, or a CommandError saying why not."""
    root = source_root()
    folder = root / "bench"
    if not (folder / "runner.py").is_file():
        raise CommandError(
            f"The benchmarks live in the source checkout, and {folder} is not there: "
            "run `cairn bench` from a clone installed with `pip install -e .`."
        )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    runner = import_module("bench.runner")
    if Path(runner.__file__).resolve().parent != folder.resolve():
        raise CommandError(f"Another module named `bench` ({runner.__file__}) hides {folder}.")
    return runner


class Command(BaseCommand):
    help = (
        "Run Cairn's benchmarks (all, or the NAMEs or areas given) against a generated heavy "
        "user in a separate database under CAIRN_BENCH_DIR (default ./var/bench)."
    )
    # The operator's database and settings are not used: nothing to check.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", metavar="NAME", help="e.g. web.page_vs_bare_view")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the results as JSON."
        )
        parser.add_argument("--quick", action="store_true", help="Small sizes, for a smoke run.")

    def handle(self, *args, names, as_json: bool, quick: bool, **options):
        runner = load_runner()
        bench_dir = Path(os.environ.get("CAIRN_BENCH_DIR") or "var/bench").resolve()
        try:
            results = runner.run(names, quick=quick, bench_dir=bench_dir, say=self.say)
        except runner.BenchError as error:
            raise CommandError(str(error)) from None
        if as_json:
            self.stdout.write(json.dumps([result.as_dict() for result in results], indent=2))
        else:
            self.stdout.write(table(results), ending="")
        crashed = [result for result in results if result.error]
        for result in crashed:
            self.stderr.write(f"{result.name}: {result.error}")
        if crashed:
            raise CommandError(f"{len(crashed)} benchmark(s) crashed.")

    def say(self, message: str) -> None:
        self.stderr.write(message)


def table(results) -> str:
    from rich.console import Console
    from rich.table import Table

    grid = Table("name", "value", "baseline", "ratio", "unit", "goal", "ok")
    for result in results:
        verdict = "crashed" if result.error else ("yes" if result.ok else "NO")
        grid.add_row(
            result.name,
            figure(result.value),
            figure(result.baseline),
            figure(result.ratio),
            result.unit,
            result.goal,
            verdict,
        )
    buffer = io.StringIO()
    Console(file=buffer, width=120).print(grid)
    return buffer.getvalue()


def figure(number: float | None) -> str:
    if number is None:
        return "—"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    if abs(number) >= 10:
        return f"{number:.1f}"
    return f"{number:.3g}"
