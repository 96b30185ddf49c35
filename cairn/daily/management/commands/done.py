from django.core.management.base import CommandError

from cairn.core.errors import DomainError
from cairn.core.management.base import UserCommand
from cairn.daily import services
from cairn.daily.management.items import find_item


class Command(UserCommand):
    help = "Mark one of today's items done (about a person, it logs the conversation)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("item", metavar="ITEM", help="Its number in `cairn today`, or #ID.")
        parser.add_argument("--note", default="", help="A one-line note about what you did.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        item = find_item(user, options["item"])
        try:
            services.item_done(user=user, item=item, note=options["note"])
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Done: {item.title}")
