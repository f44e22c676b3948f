"""`caseaudit indicators --as-at YYYY-MM-DD [--council CODE] [--json]`: every indicator."""

import datetime
import json

from django.core.management import BaseCommand, CommandError

from caseaudit.core.suppression import unsuppressed
from caseaudit.organisation.selection import council_for
from caseaudit.performance.caseloads import caseloads
from caseaudit.performance.disproportionality import NOT_KNOWN, POPULATIONS, disproportionality
from caseaudit.performance.indicators import DAYS, NoSnapshot, evaluate, snapshot_for


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-at must be a date written YYYY-MM-DD, not {text!r}.") from error


class Command(BaseCommand):
    help = "Print every performance indicator for a council's case data as at a date."

    def add_arguments(self, parser):
        parser.add_argument("--as-at", required=True, help="the case data's date, YYYY-MM-DD")
        parser.add_argument("--council", help="the council's code, if there is more than one")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, as_at: str, council, json: bool, **options):
        day = _date(as_at)
        try:
            snapshot = snapshot_for(council_for(council), day)
        except NoSnapshot as error:
            raise CommandError(str(error)) from error
        figures = evaluate(snapshot)
        held = caseloads(snapshot)
        # Exact, as every figure here is: the command line is for the QA service.
        with unsuppressed():
            by_ethnicity = disproportionality(snapshot)
        if json:
            printed = {code: figure.as_json() for code, figure in figures.items()}
            printed.update(held.as_json())
            printed.update(by_ethnicity.as_json())
            self.stdout.write(_dumps({"as_at": day.isoformat(), "indicators": printed}))
            return
        self.stdout.write(f"Indicators as at {day:%-d %B %Y}")
        for code, figure in figures.items():
            value = "no figure" if figure.value is None else f"{figure.value:,}"
            if figure.indicator.kind == DAYS:
                value += f" days, the median of {figure.denominator:,}"
            elif figure.denominator is not None:
                value += f"  ({figure.numerator:,} of {figure.denominator:,})"
            self.stdout.write(f"  {figure.indicator.name}: {value}  [{code}]")
        self.stdout.write(
            f"  Caseloads: mean {held.mean}, median {held.median} children a worker; "
            f"{held.over_threshold} of {held.workers} workers over their service's threshold"
        )
        for key, _code, label in POPULATIONS:
            rates = ", ".join(
                f"{row.label} {'no figure' if row.rate is None else row.rate}"
                + ("" if row.rri is None else f" (RRI {row.rri})")
                for row in by_ethnicity.tables[key]
                if row.group != NOT_KNOWN
            )
            self.stdout.write(f"  {label} per 10,000 by ethnic group: {rates}")


def _dumps(data) -> str:
    return json.dumps(data, indent=2)
