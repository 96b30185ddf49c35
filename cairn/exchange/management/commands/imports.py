from django.utils import timezone

from cairn.core.management.base import UserCommand
from cairn.exchange import imports


class Command(UserCommand):
    help = "List your imports, newest first, with what each did (undo with cairn import --undo)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        batches = list(imports.batches_for(user)[:200])
        if options["json"]:
            self.print_json(
                [
                    {
                        "id": b.pk, "file": b.source_name, "format": b.format, "state": b.state,
                        "created_at": b.created_at.isoformat(), "created": b.created,
                        "merged": b.merged, "skipped": b.skipped, "invalid": b.invalid,
                        "interactions": b.interactions,
                        "undone_at": b.undone_at.isoformat() if b.undone_at else None,
                    }
                    for b in batches
                ]
            )  # fmt: skip
            return
        if not batches:
            self.stdout.write("No imports yet: cairn import PATH")
            return
        for b in batches:
            when = timezone.localtime(b.created_at, user.zone)
            self.stdout.write(
                f"{b.pk:>5}  {when:%Y-%m-%d %H:%M}  {b.get_state_display():<24}  "
                f"{b.created} new, {b.merged} merged, {b.skipped} skipped, {b.invalid} invalid  "
                f"{b.source_name}"
            )
