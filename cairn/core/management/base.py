"""Shared pieces of Cairn's commands: choosing the account to act for, JSON output."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.models import User


class UserCommand(BaseCommand):
    """A command that acts for one account: `--user EMAIL`, or the only account there is.

    Everyday commands skip the system checks: their warnings (say, no email configured)
    belong to `cairn check` and the server's start, not to every `cairn log`.
    """

    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="EMAIL", help="The account to act for.")

    def get_user(self, email: str | None) -> User:
        if email:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"No account with the email {email!r}.")
            return user
        users = list(User.objects.order_by("pk")[:2])
        if not users:
            raise CommandError("There is no account yet: create one with `cairn createuser EMAIL`.")
        if len(users) > 1:
            raise CommandError("There are several accounts: choose one with --user EMAIL.")
        return users[0]

    def print_json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, indent=2, default=str))
