import sys
from dataclasses import asdict

from django.core.management.base import CommandError
from django.utils import timezone

from cairn.core.errors import DomainError
from cairn.core.management.base import UserCommand
from cairn.network import services


class Command(UserCommand):
    help = (
        'Add someone to your network from one line, e.g. cairn add person "Ana Ruiz, PM at '
        'Acme, met at PyCon 2024". Shows what it read; stops if they may already be there.'
    )
    requires_system_checks: list[str] = []  # a deployment warning on every use is noise
    stealth_options = ("stdin",)  # tests stand in for a terminal

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("what", choices=["person"], help="What to add.")
        parser.add_argument(
            "line", help='One line: name, then e.g. "PM at Acme", "met at PyCon 2024", an email.'
        )
        parser.add_argument(
            "--yes", action="store_true", help="Add even if someone similar is already there."
        )
        parser.add_argument(
            "--merge-into",
            type=int,
            metavar="ID",
            help="This is person ID: add what the line says to them instead.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be added; change nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the outcome as JSON.")

    def handle(self, *args, **options):
        self.stdin = options.get("stdin", sys.stdin)
        user = self.get_user(options["user"])
        today = timezone.localdate(timezone=user.zone)
        line, as_json = options["line"], options["json"]
        try:
            preview = services.quick_add_preview(user=user, line=line, today=today)
        except DomainError as error:
            raise CommandError(error.message) from None
        if options["dry_run"]:
            if as_json:
                self.print_json({"dry_run": True, **_preview_data(preview)})
            else:
                self._show(preview)
                self.stdout.write("Dry run: nothing added.")
            return
        if not as_json:
            self._show(preview)
        merge_into, allow = options["merge_into"], options["yes"]
        if preview.duplicates and merge_into is None and not allow and self._can_ask(as_json):
            merge_into, allow = self._ask(preview)
        try:
            result = services.person_quick_add(
                user=user,
                line=line,
                today=today,
                confirm_merge_into=merge_into,
                allow_duplicates=allow,
            )
        except services.DuplicatesFound as error:
            raise CommandError(
                f"{error.message} Nothing added: use --merge-into ID to add to one of them, "
                "or --yes if this is someone else."
            ) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        if as_json:
            self.print_json(_result_data(result))
            return
        person = result.person
        if result.created:
            role = f", {_role_text(result)}" if result.role else ""
            self.stdout.write(f"Added {person.full_name} (#{person.pk}){role}.")
        else:
            self.stdout.write(
                f"Merged into {person.full_name} (#{person.pk}); "
                "undo it from their page if that was wrong."
            )

    def _can_ask(self, as_json: bool) -> bool:
        return not as_json and hasattr(self.stdin, "isatty") and self.stdin.isatty()

    def _ask(self, preview) -> tuple[int | None, bool]:
        """On a terminal: merge into which duplicate, add anyway, or stop."""
        ids = {d.person_id for d in preview.duplicates}
        self.stdout.write(
            "Type the id of the person this is to merge, 'a' to add as someone new, "
            "or nothing to stop: ",
            ending="",
        )
        self.stdout.flush()
        answer = self.stdin.readline().strip().lower().lstrip("#")
        if answer in ("a", "add"):
            return None, True
        if answer.isdigit() and int(answer) in ids:
            return int(answer), False
        raise CommandError("Nothing added.")

    def _show(self, preview) -> None:
        parsed = preview.parsed
        rows = [("name", parsed.full_name or "(none)"), ("title", parsed.title)]
        if parsed.organisation:
            known = preview.organisation_id
            rows.append(
                (
                    "organisation",
                    f"{parsed.organisation} "
                    + (f"(#{known}, already in your network)" if known else "(new)"),
                )
            )
        introducer = ""
        if parsed.introduced_by_name:
            linked = preview.introducer
            introducer = (
                f"{linked.full_name} (#{linked.person_id})"
                if linked
                else f"{parsed.introduced_by_name} (not linked)"
            )
        rows += [
            ("pronouns", parsed.pronouns),
            ("location", parsed.location),
            ("met at", parsed.met_at),
            ("met on", preview.met_on.isoformat() if preview.met_on else ""),
            ("how you met", parsed.how_met[:1].upper() + parsed.how_met[1:]),
            ("introduced by", introducer),
            *[(point.kind, point.value) for point in preview.contact_points],
            ("notes", preview.notes),
        ]
        rows = [(label, value) for label, value in rows if value]
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"  {label.ljust(width)}  {value}")
        for warning in preview.warnings:
            self.stdout.write(f"  ! {warning}")
        if preview.duplicates:
            self.stdout.write("Already in your network, perhaps:")
            for duplicate in preview.duplicates:
                self.stdout.write(
                    f"  #{duplicate.person_id} {duplicate.full_name} — {duplicate.reason}"
                )


def _role_text(result) -> str:
    title = result.role.title
    return f"{title} at {result.organisation.name}" if title else f"at {result.organisation.name}"


def _preview_data(preview) -> dict:
    parsed = asdict(preview.parsed)
    parsed.pop("warnings")
    return {
        "parsed": parsed,
        "organisation_id": preview.organisation_id,
        "introducer": asdict(preview.introducer) if preview.introducer else None,
        "met_on": preview.met_on,
        "contact_points": [asdict(point) for point in preview.contact_points],
        "notes": preview.notes,
        "warnings": list(preview.warnings),
        "duplicates": [asdict(duplicate) for duplicate in preview.duplicates],
    }


def _result_data(result) -> dict:
    person, organisation, role = result.person, result.organisation, result.role
    return {
        "created": result.created,
        "merged": not result.created,
        "person": {"id": person.pk, "full_name": person.full_name},
        "organisation": {"id": organisation.pk, "name": organisation.name}
        if organisation
        else None,
        "role": {"id": role.pk, "title": role.title} if role else None,
        "merge_record": result.merge.pk if result.merge else None,
        **_preview_data(result.preview),
    }
