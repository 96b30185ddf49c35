from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from cairn.core.management.base import UserCommand
from cairn.daily import digest as digests


class Command(UserCommand):
    help = (
        "Print today's digest as its email would read (--print, the default), or queue it "
        "now for email and notifications (--send)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--print", action="store_true", help="Print it (the default).")
        what.add_argument(
            "--send", action="store_true", help="Queue the email and send notifications now."
        )

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        now = timezone.now()
        if not options["send"]:
            digest = digests.digest_for(user=user, now=now)
            self.stdout.write(f"Subject: {digest.subject}\n")
            self.stdout.write(render_to_string("daily/email/digest.txt", {"digest": digest}))
            if not digest.items:
                self.stdout.write("(Nothing is open today: no digest would be sent.)")
            return
        digest, outcomes = digests.digest_send_now(user=user, now=now)
        if not digest.items:
            raise CommandError("Nothing is open today: no digest was sent.")
        self.stdout.write(
            f"Queued “{digest.subject}” for {digest.email}; the worker delivers it "
            "(`cairn worker`, or `cairn serve`)."
        )
        for outcome in outcomes:
            state = "sent" if outcome.ok else f"failed: {outcome.error}"
            self.stdout.write(f"Notification, line {outcome.line} ({outcome.shown}): {state}")
