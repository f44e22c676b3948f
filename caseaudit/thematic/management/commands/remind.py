"""`caseaudit remind`: email owners their thematic audit actions due or overdue, and leads the
overdue actions of the audits they lead. Run it daily (cron, a scheduler); running it twice on
the same day emails no one twice about the same action.

caseaudit remind [--council CODE] [--date YYYY-MM-DD]
"""

import datetime

from django.core.management import BaseCommand, CommandError

from caseaudit.organisation.selection import council_for
from caseaudit.thematic.actions import send_reminders


def day_arg(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Give the date as YYYY-MM-DD, for example 2026-03-27 (not {text!r})."
        ) from None


class Command(BaseCommand):
    help = "Email reminders of thematic audit actions due or overdue (once a day each)."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="only this council (default: every council)")
        parser.add_argument("--date", type=day_arg, help="the day to remind as of (default: today)")

    def handle(self, *args, **options):
        council = council_for(options["council"]) if options["council"] else None
        sent = send_reminders(today=options["date"], council=council)
        self.stdout.write(
            f"Reminded {sent['people']} "
            f"{'person' if sent['people'] == 1 else 'people'} of {sent['reminders']} "
            f"action{'s' if sent['reminders'] != 1 else ''}."
        )
