from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cairn.core.backup import database_restore
from cairn.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `cairn backup`, then migrate it. "
        "Stop Cairn's server and worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database even though it already holds accounts.",
        )

    def handle(self, *args, path, force, **options):
        try:
            done = database_restore(path=Path(path), force=force)
        except DomainError as error:
            raise CommandError(error.message) from None
        for line in done:
            self.stdout.write(line)
