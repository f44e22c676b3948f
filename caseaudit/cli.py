"""The ``caseaudit`` command: every batch job, as a thin wrapper over manage.py commands.

``caseaudit demo``, ``caseaudit import FILE`` and so on are exactly ``manage.py demo`` etc.,
so there is one implementation of each job and the Django tooling still works.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    execute_from_command_line(["caseaudit", *args])


if __name__ == "__main__":
    main()
