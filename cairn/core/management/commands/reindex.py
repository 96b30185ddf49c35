import time

from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.models import User
from cairn.core import search


class Command(BaseCommand):
    help = "Rebuild the search index from the tables, for one account or for all of them."

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="EMAIL", help="Only this account.")

    def handle(self, *args, user=None, **options):
        if user:
            accounts = list(User.objects.filter(email__iexact=user.strip()))
            if not accounts:
                raise CommandError(f"No account with the email {user!r}.")
        else:
            accounts = list(User.objects.order_by("pk"))
        started = time.perf_counter()
        written = 0
        for account in accounts:
            written += self.reindex(account)
        search.optimize()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Indexed {written:,} documents for {len(accounts):,} "
            f"account{'s' if len(accounts) != 1 else ''} in {seconds:.1f} s."
        )

    def reindex(self, account: User) -> int:
        if not self.stdout.isatty():
            return search.rebuild(account, compact=False)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
        ) as bar:
            tasks = {
                kind.name: bar.add_task(f"{account.email}: {kind.label.lower()}", total=None)
                for kind in search.kinds()
            }

            def report(kind, done):
                bar.advance(tasks[kind.name], done)

            written = 0
            for kind in search.kinds():
                total = kind.count(account)
                bar.update(tasks[kind.name], total=total)
                written += search.rebuild(account, only=[kind.name], progress=report, compact=False)
                # Objects that make no document (say, an interaction with binned people only)
                # leave the bar short of its total.
                bar.update(tasks[kind.name], completed=total)
            return written
