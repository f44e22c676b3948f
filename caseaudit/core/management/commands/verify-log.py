"""`caseaudit verify-log`: check the access log and change history end to end."""

import json
import sys

from django.core.management import BaseCommand, CommandError

from caseaudit.core.chain import chained_models
from caseaudit.core.log_integrity import verify_logs


class Command(BaseCommand):
    help = (
        "Check every entry of the log chains against the log key and the anchored heads, and "
        "name the first bad entry. Exit status 0 when sound (the heads are then anchored), "
        "1 when not."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chain", action="append", help="only this chain (access, changes)")
        parser.add_argument("--json", action="store_true", help="print a JSON report")

    def handle(self, *args, chain, json: bool, **options):
        try:
            report = verify_logs(chain)
        except ValueError as error:
            known = ", ".join(sorted(chained_models()))
            raise CommandError(f"{error} The chains are: {known}.") from None
        if json:
            self.stdout.write(dumps(report.as_json()))
        else:
            self._describe(report)
        if not report.sound:
            sys.exit(1)

    def _describe(self, report) -> None:
        for chain in report.chains:
            if chain.sound:
                self.stdout.write(f"{chain.chain}: {chain.entries:,} entries, sound")
                continue
            first = chain.first_break
            self.stdout.write(
                f"{chain.chain}: BROKEN at entry {first.sequence:,}: {first.reason}"
                + (f" ({chain.breaks:,} problems in all)" if chain.breaks > 1 else "")
            )
        for problem in report.anchor_problems:
            self.stdout.write(f"anchors: {problem}")
        if report.sound:
            self.stdout.write(f"Heads anchored in {report.anchor_file}.")


def dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)
