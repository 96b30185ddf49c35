from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.core.backup import database_backup
from cairn.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Back up the whole database into one file: SQLite's online backup (safe while Cairn "
        "runs), or pg_dump's custom format on PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to write.")
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")

    def handle(self, *args, path, force, **options):
        try:
            done = database_backup(path=Path(path), force=force)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(done)
