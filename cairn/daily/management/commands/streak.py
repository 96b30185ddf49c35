from django.utils import timezone

from cairn.core.management.base import UserCommand
from cairn.daily import practice, services
from cairn.daily.streaks import week_start


class Command(UserCommand):
    help = "Print your current and longest streak, and this week's numbers so far."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--json", action="store_true", help="Print the numbers as JSON.")

    def handle(self, *args, **options):
        user = self.get_user(options["user"])
        today = services.local_day(user, timezone.now())
        streaks = practice.streaks(user, today)
        week = practice.week_numbers(user, week_start(today))
        if options["json"]:
            self.print_json(
                {
                    "today": today.isoformat(),
                    "current": _streak(streaks.current),
                    "longest": _streak(streaks.longest),
                    "active_today": streaks.active_today,
                    "week": {
                        "monday": week["monday"].isoformat(),
                        "active_days": week["active_days"],
                        **{name: count for name, _, count in week["named"]},
                    },
                }
            )
            return
        current, longest = streaks.current, streaks.longest
        if current.length:
            self.stdout.write(
                f"Current streak: {_days(current.length)} (since {current.start:%A %-d %B})."
            )
            if not streaks.active_today:
                self.stdout.write("Nothing done today yet: one small thing keeps it going.")
        else:
            self.stdout.write("Current streak: none yet. One small thing today starts one.")
        if longest.length:
            self.stdout.write(
                f"Longest streak: {_days(longest.length)} "
                f"({longest.start:%-d %b %Y} to {longest.end:%-d %b %Y})."
            )
        self.stdout.write(f"\nThis week (from {week['monday']:%A %-d %B}):")
        self.stdout.write(f"  {'days active':<24}{week['active_days']:>5}")
        for _, label, count in week["named"]:
            self.stdout.write(f"  {label:<24}{count:>5}")


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _streak(streak) -> dict:
    return {
        "days": streak.length,
        "start": streak.start.isoformat() if streak.start else None,
        "end": streak.end.isoformat() if streak.end else None,
    }
