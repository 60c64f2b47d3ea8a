#!/usr/bin/env python
"""Django's command-line utility, with start-up errors reduced to one clear line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bethune_portal.settings.dev")
    from django.core.management import execute_from_command_line

    from portal_kit.startup import check_database, fail_clearly

    with fail_clearly():
        if len(sys.argv) > 1 and sys.argv[1] in {"runserver", "migrate", "seed_demo"}:
            import django

            django.setup()
            check_database()
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
