from django.core.management.base import BaseCommand

from cairn import __version__


class Command(BaseCommand):
    help = "Print Cairn's version."

    def handle(self, *args, **options):
        self.stdout.write(f"cairn {__version__}")
