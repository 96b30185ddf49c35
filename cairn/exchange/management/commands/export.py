import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError

from cairn.core.errors import DomainError
from cairn.core.management.base import UserCommand
from cairn.exchange import archive, export

FORMATS = tuple(export.FORMATS)


class Command(UserCommand):
    help = (
        "Export your data: the complete archive (restore it with `cairn import PATH --format "
        "archive`), people as vCards or CSV, organisations or conversations as CSV, or the "
        "calendar as .ics. Writes to standard output unless -o names a file or a folder."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        # `--version` here is the vCard version, not the program's.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("format", choices=FORMATS, help="What to export.")
        parser.add_argument(
            "-o",
            "--output",
            metavar="PATH",
            help="The file to write (or a folder to put a dated file in); '-' for stdout.",
        )
        parser.add_argument(
            "--version",
            dest="vcard_version",
            choices=export.VCARD_VERSIONS,
            default="3.0",
            help="vCard version (default 3.0).",
        )
        parser.add_argument("--circle", metavar="NAME", default="", help="Only this circle.")
        parser.add_argument(
            "--search", metavar="WORDS", default="", help="Only the people matching these words."
        )

    def handle(self, *args, format, output=None, vcard_version, circle, search, **options):
        user = self.get_user(options["user"])
        choice = export.PeopleChoice(circle=circle.strip(), query=search.strip())
        if (circle or search) and format not in ("vcard", "people-csv"):
            raise CommandError(
                "--circle and --search choose people: use them with vcard or people-csv."
            )
        try:
            if format in ("vcard", "people-csv"):
                export.people_to_export(user, choice)  # an unknown circle stops here
            target = self._target(output, format)
            with self._progress(user, format, enabled=target is not None) as progress:
                chunks = self._chunks(user, format, choice, vcard_version, progress)
                if target is None:
                    for chunk in chunks:
                        self.stdout.write(chunk, ending="")
                    return
                size = _write_atomically(target, (chunk.encode() for chunk in chunks))
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Wrote {target} ({_size(size)}).")

    def _target(self, output: str | None, format: str) -> Path | None:
        if output in (None, "-"):
            return None
        path = Path(output).expanduser()
        if path.is_dir():
            path = path / export.filename(format)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such folder.")
        return path

    def _chunks(self, user, format, choice, version, progress) -> Iterable[str]:
        if format == "archive":
            return archive.write_archive(user, progress=progress)
        if format == "vcard":
            return export.vcards(user, choice, version=version)
        if format == "people-csv":
            return export.people_csv(user, choice)
        if format == "organisations-csv":
            return export.organisations_csv(user)
        if format == "interactions-csv":
            return export.interactions_csv(user)
        return [export.calendar_ics(user).decode()]

    @contextmanager
    def _progress(self, user, format: str, *, enabled: bool):
        """A progress bar for the archive on a terminal (rows of every model)."""
        if format != "archive" or not enabled or not self.stderr.isatty():
            yield None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        total = sum(archive.archive_counts(user).values())
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("Archive", total=total)

            def report(label: str, rows: int) -> None:
                bar.update(task, advance=rows, description=f"Archive: {label}")

            yield report


def _write_atomically(path: Path, chunks: Iterable[bytes]) -> int:
    """Write beside the target and rename: an interrupted export leaves no half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    size = 0
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
                size += len(chunk)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return size


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:,.1f} GB"
