"""The ``pingan`` console command: Django's manage.py, carrying the project's own subcommands
(demo, serve, users, token, report, areas) as management commands."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pingan", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
