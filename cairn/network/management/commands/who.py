from django.core.management.base import CommandError
from django.utils import timezone

from cairn.core.management.base import UserCommand
from cairn.network import selectors


class Command(UserCommand):
    help = (
        "Who do I know at an organisation (and who could introduce me there), in a field of "
        "work, or in a city?"
    )
    requires_system_checks: list[str] = []  # a deployment warning on every use is noise

    def add_arguments(self, parser):
        super().add_arguments(parser)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--at", metavar="ORG", help="An organisation (the name may be loose).")
        where.add_argument("--field", metavar="FIELD", help="A field of work, e.g. “data”.")
        where.add_argument("--city", metavar="CITY", help="Where they live, e.g. “Berlin”.")
        parser.add_argument(
            "--limit", type=int, default=10, help="At most this many introduction paths."
        )
        parser.add_argument("--json", action="store_true", help="Print the answer as JSON.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        option = next(name for name in ("at", "field", "city") if options[name] is not None)
        words = " ".join(options[option].split())
        if not words:
            raise CommandError(f"--{option}: give a name.")
        if options["limit"] < 1:
            raise CommandError("--limit: give a number of paths of at least 1.")
        if option == "at":
            today = timezone.localdate(timezone=user.zone)
            result = selectors.who_knows_at(
                user, organisation=words, today=today, limit=options["limit"]
            )
            if options["json"]:
                self.print_json(selectors.who_at_as_dict(result, today))
            else:
                self._show_at(result, today)
            return
        if option == "field":
            answer = selectors.who_in_field(user, field=words)
        else:
            answer = selectors.who_in_city(user, city=words)
        if options["json"]:
            self.print_json(selectors.who_knows_as_dict(words, option, answer))
            return
        if answer.matched:
            self.stdout.write(f"In {', '.join(m.name for m in answer.matched)}:")
        elif option == "field":
            self.stdout.write(f"No field called “{words}”; people whose work mentions it:")
        else:
            self.stdout.write(f"In {words}:")
        if not answer.first_degree:
            self.stdout.write("  You know no one there yet.")
        for known in answer.first_degree:
            self.stdout.write(
                f"  #{known.person.pk} {known.person.full_name} — {selectors.known_reason(known)}"
            )

    def _show_at(self, result, today) -> None:
        if not result.found:
            self.stdout.write(f"No organisation in your network looks like “{result.query}”.")
            return
        self.stdout.write(f"At {', '.join(m.name for m in result.organisations)}:")
        if not result.insiders:
            self.stdout.write("  You know no one there yet.")
        for insider in result.insiders:
            roles = "; ".join(stint.label() for stint in insider.stints)
            past = "" if insider.is_current else " (no longer there)"
            self.stdout.write(f"  #{insider.person.id} {insider.person.name} — {roles}{past}")
        if result.paths:
            self.stdout.write("Through people you know:")
            for path in result.paths:
                self.stdout.write(f"  {path.describe(today)}")
