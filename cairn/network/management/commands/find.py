from django.core.management.base import CommandError

from cairn.core import search
from cairn.core.management.base import UserCommand


class Command(UserCommand):
    help = "Search your network: people, organisations and interactions, by word beginnings."
    requires_system_checks: list[str] = []  # a deployment warning on every use is noise

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("query", help="Words to look for, e.g. “ana ru” or “acme”.")
        parser.add_argument(
            "--kind",
            dest="kinds",
            action="append",
            choices=[kind.name for kind in search.kinds()],
            help="Only this kind of result (repeatable).",
        )
        parser.add_argument("--limit", type=int, default=20, help="At most this many results.")
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        text = " ".join(options["query"].split())
        if not search.terms(text):
            raise CommandError("Give some words to look for.")
        if options["limit"] < 1:
            raise CommandError("--limit: give a number of results of at least 1.")
        hits = search.query(user, text, kinds=options["kinds"], limit=options["limit"])
        if options["json"]:
            self.print_json(
                {
                    "query": text,
                    "hits": [
                        {
                            "kind": hit.kind,
                            "id": hit.object_id,
                            "title": hit.title,
                            "detail": _text(hit.snippet),
                        }
                        for hit in hits
                    ],
                }
            )
            return
        if not hits:
            self.stdout.write(f"Nothing found for “{text}”.")
            return
        for hit in hits:
            detail = f" — {_text(hit.snippet)}" if hit.snippet else ""
            self.stdout.write(f"{hit.kind:<12} #{hit.object_id:<6} {hit.title}{detail}")


def _text(segments) -> str:
    return "".join(segment.text for segment in segments).strip()
