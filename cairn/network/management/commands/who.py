from django.core.management.base import CommandError

from cairn.core.management.base import UserCommand
from cairn.network import selectors


class Command(UserCommand):
    help = "Who do I know at an organisation, or in a field of work?"
    requires_system_checks: list[str] = []  # a deployment warning on every use is noise

    def add_arguments(self, parser):
        super().add_arguments(parser)
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--at", metavar="ORG", help="An organisation (the name may be loose).")
        where.add_argument("--field", metavar="FIELD", help="A field of work, e.g. “data”.")
        parser.add_argument("--json", action="store_true", help="Print the answer as JSON.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        at, field = options["at"], options["field"]
        words = " ".join((at if at is not None else field).split())
        if not words:
            raise CommandError(f"--{'at' if at is not None else 'field'}: give a name.")
        if at is not None:
            answer = selectors.who_at(user, organisation=words)
        else:
            answer = selectors.who_in_field(user, field=words)
        if options["json"]:
            self.print_json(_data(words, "organisation" if at is not None else "field", answer))
            return
        if not answer.matched and at is not None:
            self.stdout.write(f"No organisation in your network looks like “{words}”.")
            return
        if answer.matched:
            matched = ", ".join(m.name for m in answer.matched)
            self.stdout.write(f"{'At' if at is not None else 'In'} {matched}:")
        else:
            self.stdout.write(f"No field called “{words}”; people whose work mentions it:")
        if not answer.first_degree:
            self.stdout.write("  You know no one there yet.")
            return
        for known in answer.first_degree:
            self.stdout.write(f"  #{known.person.pk} {known.person.full_name} — {_why(known)}")


def _role(role) -> str:
    where = f"{role.title} at {role.organisation.name}" if role.title else role.organisation.name
    if role.is_current:
        return where
    return f"{where} (until {role.ended_on.year})" if role.ended_on else f"{where} (formerly)"


def _why(known) -> str:
    parts = [_role(role) for role in known.roles]
    if known.reason:
        parts.append(known.reason)
    return "; ".join(parts) or "known"


def _data(words: str, kind: str, answer) -> dict:
    return {
        "query": words,
        "kind": kind,
        "matched": [{"id": m.id, "name": m.name, "score": m.score} for m in answer.matched],
        "first_degree": [
            {
                "id": known.person.pk,
                "full_name": known.person.full_name,
                "current": known.is_current,
                "reason": known.reason,
                "roles": [
                    {
                        "organisation": {"id": r.organisation_id, "name": r.organisation.name},
                        "title": r.title,
                        "current": r.is_current,
                        "started_on": r.started_on,
                        "ended_on": r.ended_on,
                    }
                    for r in known.roles
                ],
            }
            for known in answer.first_degree
        ],
    }
