"""`caseaudit anchor-log`: record the log chains' heads outside the database, from cron."""

import sys

from django.core.management import BaseCommand

from caseaudit.core.log_integrity import anchor_heads


class Command(BaseCommand):
    help = (
        "Append each log chain's signed head to the anchor file (and syslog, if set), after a "
        "quick check that the log still holds the newest anchor. Exit status 1 on a problem."
    )

    def handle(self, *args, **options):
        problems = anchor_heads()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            sys.exit(1)
