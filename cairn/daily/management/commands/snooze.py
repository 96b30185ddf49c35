from datetime import date, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from cairn.core.errors import DomainError
from cairn.core.management.base import UserCommand
from cairn.daily import services
from cairn.daily.management.items import find_item


class Command(UserCommand):
    help = "Put one of today's items away until a later day."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("item", metavar="ITEM", help="Its number in `cairn today`, or #ID.")
        parser.add_argument(
            "--until",
            required=True,
            metavar="DATE",
            help="YYYY-MM-DD, tomorrow, or next-week.",
        )

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        until = self._until(options["until"], timezone.localdate(timezone=user.zone))
        item = find_item(user, options["item"])
        try:
            services.item_snooze(user=user, item=item, until=until)
        except DomainError as error:
            raise CommandError("--" + error.message) from None
        self.stdout.write(f"Snoozed until {until:%A %-d %B}: {item.title}")

    def _until(self, text: str, today: date) -> date:
        words = {"tomorrow": 1, "next-week": 7, "next_week": 7}
        if text.strip().lower() in words:
            return today + timedelta(days=words[text.strip().lower()])
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(f"--until: {text!r} is not a date; use YYYY-MM-DD.") from None
