"""`caseaudit quality`: the data-quality report for the latest snapshot."""

import json

from django.core.management import BaseCommand

from caseaudit.cases.quality import quality_report
from caseaudit.organisation.selection import council_for


class Command(BaseCommand):
    help = "Print the data-quality report for a council's latest snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--council", help="the council's code, if there is more than one")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, council, json: bool, **options):
        report = quality_report(council_for(council))
        if json:
            self.stdout.write(_dumps(report.as_json()))
            return
        if report.snapshot is None:
            self.stdout.write("No case data has been imported yet.")
            return
        self.stdout.write(f"Data quality as at {report.snapshot.as_at:%-d %B %Y}")
        for check in report.checks:
            self.stdout.write(f"  {check.count:>7,}  {check.title}")
            for row in check.rows[:5]:
                where = f"{row.list_label} row {row.row}" if row.row else row.list_label
                self.stdout.write(f"           {row.child} {where}: {row.detail}")


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
