from cairn.core.management.base import UserCommand
from cairn.daily.management.items import numbered


class Command(UserCommand):
    help = (
        "Print today's few actions, each with its reason; then `cairn done N` or `cairn snooze N`."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--json", action="store_true", help="Print the agenda as JSON.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        agenda, items = numbered(user)
        if options["json"]:
            self.print_json(
                {
                    "day": agenda.day.isoformat(),
                    "limit": agenda.limit,
                    "items": [
                        {
                            "number": number,
                            "id": item.pk,
                            "kind": item.kind,
                            "key": item.key,
                            "title": item.title,
                            "why": item.why,
                            "state": item.state,
                            "snoozed_until": item.snoozed_until,
                            "note": item.note,
                            "more": item.is_extra,
                            "give": item.is_give,
                            "person_id": item.person_id,
                        }
                        for number, item in items
                    ],
                }
            )
            return
        self.stdout.write(f"Today, {agenda.day:%A %-d %B}")
        if not items:
            self.stdout.write("Nothing is due yet. Add people with `cairn add` to fill this.")
            return
        shown_more = False
        for number, item in items:
            if item.is_extra and not shown_more:
                self.stdout.write("\nMore if you have time:")
                shown_more = True
            mark = {"done": "✓", "snoozed": "z", "skipped": "–"}.get(item.state, " ")
            self.stdout.write(f"{number:>3}. [{mark}] {item.title}")
            self.stdout.write(f"        why: {item.why}")
            if item.state == "done" and item.note:
                self.stdout.write(f"        note: {item.note}")
            elif item.state == "snoozed":
                self.stdout.write(f"        snoozed until {item.snoozed_until.isoformat()}")
