from collections.abc import Mapping
from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cairn.accounts.models import User
from cairn.accounts.services import user_create
from cairn.core.demo import DEFAULT_SEED, DEMO_EMAIL, DEMO_PASSWORD, SIZES, demo_fill
from cairn.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create a demo account with realistic, deterministic demo data "
        f"(the account is created if needed, with the password {DEMO_PASSWORD!r})."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            default=DEMO_EMAIL,
            help=f"The account to fill (default {DEMO_EMAIL}; created if it does not exist).",
        )
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help="small: what a newcomer sees; heavy: the benchmark user; quick: for CI.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo login) when any account already exists.",
        )

    def handle(self, *args, user, size, seed, if_empty, **options):
        email = user.strip().lower()
        if if_empty and User.objects.exists():
            self.remind(email)
            return
        today = timezone.localdate()
        try:
            with transaction.atomic():
                account = User.objects.filter(email__iexact=email).first()
                created = account is None
                if created:
                    account = user_create(email=email, password=DEMO_PASSWORD)
                with self.progress() as report:
                    filled = demo_fill(
                        user=account, size=size, seed=seed, today=today, progress=report
                    )
        except DomainError as error:
            raise CommandError(error.message) from None
        account.refresh_from_db()
        verb = "Created" if created else "Filled"
        self.stdout.write(
            f"{verb} {account.email} ({account.display_name}, {account.time_zone}) "
            f"with the {size} demo data (seed {seed}):"
        )
        for name, counts in filled.items():
            self.stdout.write(f"  {name}: {describe(counts)}")
        self.stdout.write(login_line(account))

    def remind(self, email: str) -> None:
        account = User.objects.filter(email__iexact=email).first()
        if account is None:
            self.stdout.write(
                "Accounts already exist, so no demo account was created. "
                f"Log in at {site()} with your own account."
            )
        else:
            self.stdout.write(login_line(account))

    def progress(self):
        """A live progress bar on a terminal; silence when the output is a file or a pipe."""
        if not self.stdout.isatty():
            return nullcontext(None)
        return _RichProgress()


class _RichProgress:
    def __enter__(self):
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from cairn.core.demo import fillers

        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            transient=True,
        )
        self.bar.__enter__()
        self.task = self.bar.add_task("Demo data", total=len(fillers()))
        return self.report

    def report(self, name: str, counts: Mapping[str, int] | None) -> None:
        if counts is None:
            self.bar.update(self.task, description=f"Demo data: {name}")
        else:
            self.bar.advance(self.task)

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)


def login_line(account: User) -> str:
    line = f"Log in at {site()} as {account.email}"
    # Repeat the demo password only while it still opens the account.
    if account.check_password(DEMO_PASSWORD):
        return f"{line} with password {DEMO_PASSWORD}"
    return f"{line} with its own password."


def site() -> str:
    return settings.SITE_URL.rstrip("/") + "/"


def describe(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{count:,} {what}" for what, count in counts.items()) or "nothing"
