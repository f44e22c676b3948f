"""`caseaudit report`: reports from the command line, built from the data as it is now.

caseaudit report highlight --month 2020-09 [--from 2018-11] --format html|pdf|docx|xlsx
                           --out FILE [--council CODE]
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.audits.management.commands.programme import month_arg
from caseaudit.organisation.selection import council_for
from caseaudit.reports import formats
from caseaudit.reports.build import build_highlight


class Command(BaseCommand):
    help = "Build a report (the audit highlight report) and write it as HTML, PDF, Word or Excel."

    def add_arguments(self, parser):
        reports = parser.add_subparsers(dest="report", required=True, metavar="{highlight}")
        highlight = reports.add_parser("highlight", help="the monthly audit highlight report")
        highlight.add_argument("--month", required=True, help="the month it is for, YYYY-MM")
        highlight.add_argument(
            "--from", dest="from_month", help="the first month, for a cumulative report (YYYY-MM)"
        )
        highlight.add_argument(
            "--format", required=True, choices=sorted(formats.RENDERINGS), dest="fmt"
        )
        highlight.add_argument("--out", required=True, help="the file to write")
        highlight.add_argument("--council", help="the council's code, if there is more than one")

    def handle(
        self, *args, report: str, month: str, from_month, fmt: str, out: str, council, **options
    ):
        chosen = council_for(council)
        to_month = month_arg(month)
        first = month_arg(from_month) if from_month else to_month
        if first > to_month:
            raise CommandError("--from must be the same month as --month or before it.")
        data = build_highlight(chosen, from_month=first, to_month=to_month)
        content = formats.render(data, fmt)
        path = Path(out)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {data['title']} for {chosen} to {path} ({len(content):,} bytes).")
