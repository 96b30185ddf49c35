from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from cairn.core.errors import DomainError
from cairn.core.management.base import UserCommand
from cairn.exchange import archive, imports
from cairn.exchange.models import ImportBatch
from cairn.exchange.records import FORMATS, ImportFileError


class Command(UserCommand):
    help = (
        "Import contacts from a LinkedIn export (zip, folder or Connections.csv), a Google or "
        "Outlook CSV or a vCard file. The same email or profile link adds to the person you "
        "have; similar names are left out unless --merge-proposed. Undo with --undo BATCH."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("path", nargs="?", help="The file, zip or folder to import.")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; change nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")
        parser.add_argument(
            "--merge-proposed",
            action="store_true",
            help="Merge people whose name is only similar into the person proposed.",
        )
        parser.add_argument(
            "--no-positions",
            action="store_true",
            help="Leave out your own roles (LinkedIn Positions.csv).",
        )
        parser.add_argument("--undo", type=int, metavar="BATCH", help="Undo this import.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        if options["undo"] is not None:
            return self._undo(user, options["undo"], as_json=options["json"])
        if not options["path"]:
            raise CommandError("Name the file to import, or --undo BATCH.")
        path = Path(options["path"]).expanduser()
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder.")
        if options["format"] == "archive" or (
            options["format"] == "auto" and archive.looks_like_archive(path)
        ):
            return self._restore(user, path, as_json=options["json"], dry_run=options["dry_run"])
        try:
            with _Progress(enabled=not options["json"], stream=self.stderr) as progress:
                outcome = imports.import_run(
                    user=user, path=path, format=options["format"],
                    dry_run=options["dry_run"], merge_proposed=options["merge_proposed"],
                    positions=not options["no_positions"], progress=progress,
                )  # fmt: skip
        except ImportFileError as error:
            raise CommandError(imports.file_error_message(error)) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        if options["json"]:
            self.print_json({"dry_run": options["dry_run"], **outcome.as_dict()})
            return
        self._show(outcome, dry_run=options["dry_run"])

    def _show(self, outcome: imports.Outcome, *, dry_run: bool) -> None:
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb}: {outcome.created} new, {outcome.merged} merged, "
            f"{outcome.skipped} skipped, {outcome.invalid} invalid; "
            f"{outcome.interactions} interactions, {outcome.positions} of your own roles."
        )
        proposed = outcome.counts.get("proposed", 0)
        if proposed:
            self.stdout.write(
                f"{proposed} may be people you already have (a similar name): "
                + ("merged." if outcome.merged and not dry_run else
                   "left out; use --merge-proposed, or import on the web to choose.")
            )  # fmt: skip
        for problem in outcome.problems[:50]:
            self.stdout.write(f"  {problem}")
        if len(outcome.problems) > 50:
            self.stdout.write(f"  … and {len(outcome.problems) - 50} more.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif outcome.batch is not None:
            self.stdout.write(
                f"Batch {outcome.batch.pk}. To undo: cairn import --undo {outcome.batch.pk}"
            )

    def _undo(self, user, pk: int, *, as_json: bool) -> None:
        batch = ImportBatch.objects.for_user(user).filter(pk=pk).first()
        if batch is None:
            raise CommandError(f"No import {pk}: see `cairn imports`.")
        try:
            result = imports.import_undo(user=user, batch=batch)
        except DomainError as error:
            raise CommandError(error.message) from None
        if as_json:
            self.print_json(
                {"batch": pk, "deleted": result.deleted, "restored": result.restored,
                 "kept": result.kept}
            )  # fmt: skip
            return
        self.stdout.write(f"Undone: {result.deleted} people removed, {result.restored} restored.")
        for line in result.kept:
            self.stdout.write(f"  {line}.")

    def _restore(self, user, path: Path, *, as_json: bool, dry_run: bool) -> None:
        try:
            with transaction.atomic():
                result = archive.restore_archive(user, path)
                if dry_run:
                    raise _DryRun(result)
        except _DryRun:
            pass  # everything the restore wrote is rolled back
        except DomainError as error:
            raise CommandError(error.message) from None
        if as_json:
            self.print_json({"source": result.source, "counts": result.counts, "dry_run": dry_run})
        elif dry_run:
            self.stdout.write(result.summary().replace("Restored", "Would restore", 1))
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(result.summary())


class _DryRun(Exception):
    def __init__(self, result):
        super().__init__("dry run")
        self.result = result


class _Progress:
    """A rich progress display on a terminal; silent otherwise (pipes, --json, tests)."""

    def __init__(self, *, enabled: bool, stream):
        self.enabled = enabled and getattr(stream, "isatty", lambda: False)()
        self.bar = None
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if self.enabled:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, what: str, advance: int) -> None:
        if self.bar is None:
            return
        if what not in self.tasks:
            label = {"rows": "Matching", "people": "Writing", "index": "Indexing"}.get(what, what)
            self.tasks[what] = self.bar.add_task(label, total=None)
        self.bar.update(self.tasks[what], advance=advance)
