"""The `cairn` command: Django's command line with Cairn's settings preset."""

from __future__ import annotations

import os
import sys


def _fail(message: str, status: int) -> None:
    print(f"cairn: {message}", file=sys.stderr)
    raise SystemExit(status)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "cairn"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cairn.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        # Misconfiguration is the operator's to fix: one line that names the variable.
        _fail(f"configuration error: {error}", 2)
    except OSError as error:
        # e.g. a data directory this user cannot write to.
        _fail(f"cannot start: {error}", 2)
    from django.core.management import call_command, execute_from_command_line
    from django.db import DatabaseError

    try:
        if argv[1:] in (["version"], ["--version"]):
            # Django would answer these itself, with its own version.
            call_command("version")
        else:
            execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        _fail(f"configuration error: {error}", 2)
    except DatabaseError as error:
        if "--traceback" in argv:
            raise
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        _fail(
            f"database error: {reason} (is the database reachable, and has `cairn migrate` run?)",
            1,
        )


if __name__ == "__main__":
    main()
