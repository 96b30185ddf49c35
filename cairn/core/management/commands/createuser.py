import getpass
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cairn.accounts.models import User
from cairn.accounts.services import user_create
from cairn.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an account (the password is asked for, or read from --password-stdin)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Display name.")
        parser.add_argument("--time-zone", default="UTC", help="e.g. Europe/Paris")
        parser.add_argument(
            "--password-stdin", action="store_true", help="Read the password from standard input."
        )
        parser.add_argument(
            "--admin", action="store_true", help="Make the account an operator (staff)."
        )

    def handle(self, *args, email, name, time_zone, password_stdin, admin, **options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        else:
            raise CommandError("No terminal to ask for a password: use --password-stdin.")
        try:
            password_validation.validate_password(password, User(email=email, display_name=name))
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        try:
            user = user_create(
                email=email,
                password=password,
                display_name=name,
                time_zone=time_zone,
                is_superuser=admin,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Created {user.email}.")
