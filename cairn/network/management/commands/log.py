import re
import sys

from django.core.management.base import CommandError
from django.utils import timezone

from cairn.core.errors import DomainError
from cairn.core.management.base import UserCommand
from cairn.network import matching, selectors, services
from cairn.network.models import Interaction, Person
from cairn.network.quickadd import infer_kind, parse_day


class Command(UserCommand):
    help = (
        'Log an interaction in one sentence, e.g. cairn log "coffee with Ana Ruiz about '
        'product roles". The people are found by name, the kind from the words.'
    )
    requires_system_checks: list[str] = []  # a deployment warning on every use is noise
    stealth_options = ("stdin",)  # tests stand in for a terminal

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("sentence", help="What happened, naming who it was with.")
        parser.add_argument(
            "--kind",
            choices=Interaction.Kind.values,
            help="The kind of interaction (guessed from the words otherwise).",
        )
        parser.add_argument(
            "--on", metavar="DATE", help="When: YYYY-MM-DD, today or yesterday (default today)."
        )
        parser.add_argument(
            "--with",
            dest="people",
            action="append",
            default=[],
            metavar="NAME",
            help="Who it was with, by name or #ID (repeatable); instead of finding them in "
            "the sentence.",
        )
        parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")

    def handle(self, *args, **options):
        self.stdin = options.get("stdin", sys.stdin)
        self.as_json = options["json"]
        user = self.get_user(options["user"])
        today = timezone.localdate(timezone=user.zone)
        sentence = " ".join(options["sentence"].split())
        if not sentence:
            raise CommandError("Say what happened, e.g. “coffee with Ana Ruiz”.")
        on = today
        if options["on"]:
            try:
                on = parse_day(options["on"], today=today)
            except ValueError as error:
                raise CommandError(f"--on: {error}") from None
        kind = options["kind"] or infer_kind(sentence) or Interaction.Kind.OTHER
        people = self._people(user, sentence, options["people"])
        try:
            interaction = services.interaction_log(
                user=user, people=people, summary=sentence, occurred_on=on, kind=kind, today=today
            )
        except DomainError as error:
            if error.field == "occurred_on":
                raise CommandError("--on: " + error.message.removeprefix("occurred_on: ")) from None
            raise CommandError(error.message) from None
        if self.as_json:
            self.print_json(
                {
                    "interaction": {
                        "id": interaction.pk,
                        "kind": interaction.kind,
                        "occurred_on": interaction.occurred_on.isoformat(),
                        "summary": interaction.summary,
                        "people": [{"id": p.pk, "full_name": p.full_name} for p in people],
                    }
                }
            )
            return
        names = ", ".join(f"{p.full_name} (#{p.pk})" for p in people)
        self.stdout.write(
            f"Logged {interaction.get_kind_display().lower()} on "
            f"{interaction.occurred_on.isoformat()} with {names}."
        )

    def _people(self, user, sentence: str, names: list[str]) -> list[Person]:
        """The people named with --with, or else in the sentence; each must be clear."""
        index = matching.NameIndex(selectors.name_candidates_for(user))
        chosen: list[int] = []
        if names:
            for name in names:
                chosen.append(self._one(user, name, index))
        else:
            mentions = matching.find_mentions(sentence, index)
            if not mentions:
                raise CommandError(
                    f"No one in your network is named in “{sentence}”. Add them first with "
                    '`cairn add person "NAME, …"`, or say who with --with NAME.'
                )
            chosen = [self._pick(mention) for mention in mentions]
        found = Person.objects.for_user(user).in_bulk(chosen)
        return [found[pk] for pk in dict.fromkeys(chosen)]

    def _one(self, user, name: str, index: matching.NameIndex) -> int:
        text = name.strip()
        if re.fullmatch(r"#?[0-9]+", text):
            pk = int(text.lstrip("#"))
            exists = Person.objects.for_user(user).filter(pk=pk, deleted_at__isnull=True)
            if not exists.exists():
                raise CommandError(f"--with: there is no person #{pk} in your network.")
            return pk
        mentions = matching.find_mentions(text, index)
        if not mentions:
            raise CommandError(
                f"--with: no one called “{text}” in your network. Add them first with "
                f'`cairn add person "{text}"`.'
            )
        return self._pick(max(mentions, key=lambda m: m.matches[0].score))

    def _pick(self, mention: matching.Mention) -> int:
        """The person a mention clearly means; otherwise ask on a terminal, or fail."""
        if mention.chosen is not None:
            return mention.chosen.id
        options = ", ".join(f"#{m.id} {m.name}" for m in mention.matches)
        if not self.as_json and hasattr(self.stdin, "isatty") and self.stdin.isatty():
            self.stdout.write(f"“{mention.text}” could be: {options}.")
            self.stdout.write("Type the id of the one you mean, or nothing to stop: ", ending="")
            self.stdout.flush()
            answer = self.stdin.readline().strip().lstrip("#")
            if answer.isdigit() and int(answer) in {m.id for m in mention.matches}:
                return int(answer)
            raise CommandError("Nothing logged.")
        raise CommandError(
            f"“{mention.text}” could be several people: {options}. "
            'Say which with --with "#ID" (or a fuller name).'
        )
