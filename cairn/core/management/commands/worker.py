import os
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from cairn.core.jobs import STEPS
from cairn.core.worker import Worker


class Command(BaseCommand):
    help = "Run background jobs (email delivery, feed polling, digests …) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run until no job has work, then exit (for cron and tests).",
        )
        parser.add_argument(
            "--idle",
            type=float,
            default=2.0,
            help="Seconds to sleep when there is no work (default 2).",
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            metavar="PID",
            help="Stop when process PID (the one that started this worker) is gone "
            "(used by `cairn serve`).",
        )
        parser.add_argument(
            "--step",
            action="append",
            dest="steps",
            metavar="NAME",
            help="Run only this step (repeatable).",
        )

    def handle(self, *args, once, idle, steps, parent_pid, **options):
        unknown = set(steps or ()) - set(STEPS)
        if unknown:
            raise CommandError(
                f"Unknown step(s): {', '.join(sorted(unknown))}. Known: {', '.join(STEPS)}."
            )
        if idle <= 0:
            raise CommandError("--idle must be a positive number of seconds.")
        chosen = {name: STEPS[name] for name in steps} if steps else None
        worker = Worker(steps=chosen, idle_seconds=idle)
        # SIGTERM/SIGINT finish the current step, then exit cleanly. The previous handlers
        # come back afterwards, so running the command in-process (tests) leaves no trace.
        previous = {
            signum: signal.signal(signum, lambda *_: worker.stop())
            for signum in (signal.SIGTERM, signal.SIGINT)
        }
        if parent_pid is not None:
            self._follow_parent(worker, parent_pid)
        try:
            if once:
                rounds = worker.drain()
                self.stdout.write(f"Worker ran {rounds} round(s); no work left.")
            else:
                worker.run_forever()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    @staticmethod
    def _follow_parent(worker: Worker, parent: int) -> None:
        """Stop when the parent is gone (even killed outright): an orphan worker would run on.
        Once the parent is gone, this process has been handed to another parent."""

        def watch() -> None:
            while os.getppid() == parent and not worker.stopping.wait(1.0):
                pass
            worker.stop()

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
