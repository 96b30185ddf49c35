"""The `cairn` command: Django's command line with Cairn's settings preset."""

from __future__ import annotations

import os
import sys


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
        print(f"cairn: configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
