"""Compliance in words or JSON for the command line (`caseaudit programme compliance`), and
as CSV for the page's download.

The figures are ``compliance.compliance_report``'s, the same the compliance page shows; the
command line sees the whole council, as its operator does.
"""

import csv
import io
import json

from django.core.management import CommandError

from caseaudit.audits.compliance import compliance_report
from caseaudit.core.months import parse_month
from caseaudit.core.spreadsheets import safe_text

HEADER = (
    f"{'Allocated':>9}{'Completed':>10}{'Rate':>6}{'In progress':>12}{'Overdue':>8}{'Exempted':>9}"
    f"{'Not yet due':>12}"
)


def add_compliance_arguments(parser) -> None:
    parser.add_argument("--from", dest="from_month", metavar="YYYY-MM", help="first month")
    parser.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def write_compliance(stdout, council, *, from_month: str | None, to_month: str | None, json: bool):
    """Print ``council``'s compliance between two YYYY-MM months (inclusive) to ``stdout``."""
    first, last = month_or_none(from_month), month_or_none(to_month)
    if first and last and first > last:
        raise CommandError("The --from month must be the same as or before the --to month.")
    report = compliance_report(council, from_month=first, to_month=last)
    if json:
        stdout.write(_dumps(report.as_json()))
        return
    for sentence in report.headline:
        stdout.write(sentence)
    for table in report.tables:
        stdout.write("")
        stdout.write(table.title)
        stdout.write(f"  {'':<30}  {'Audits':<66}  Re-audits")
        stdout.write(f"  {table.heading:<30}  {HEADER}  {HEADER}")
        for row in [*table.rows, table.total]:
            stdout.write(f"  {row.label[:30]:<30}  {_cells(row.audits)}  {_cells(row.reaudits)}")


def month_or_none(text: str | None):
    if not text:
        return None
    try:
        return parse_month(text)
    except ValueError as error:
        raise CommandError(str(error)) from error


def _cells(figures) -> str:
    return (
        f"{figures.allocated:>9,}{figures.completed:>10,}{figures.rate_text:>6}"
        f"{figures.in_progress:>12,}{figures.overdue:>8,}{figures.exempted:>9,}"
        f"{figures.not_yet_due:>12,}"
    )


def _dumps(data) -> str:
    return json.dumps(data, indent=2, default=str)


CSV_FIGURES = (
    ("allocated", "allocated"),
    ("completed", "completed"),
    ("rate", "compliance rate (%)"),
    ("in_progress", "in progress"),
    ("overdue", "overdue"),
    ("exempted", "exempted"),
    ("not_yet_due", "not yet due"),
)


def as_csv(report) -> bytes:
    """Every table of ``report``, one row per line of a table (its total last), for a
    spreadsheet: the table, the line, then each figure for audits and then re-audits. A rate
    with nothing due is left empty. Text is neutralised (``safe_text``): a team or an
    auditor's name is the council's data, not ours."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "Table",
            "Line",
            *(f"{kind} {label}" for kind in ("Audits", "Re-audits") for _, label in CSV_FIGURES),
        ]
    )
    for table in report.tables:
        for row in [*table.rows, table.total]:
            cells = [
                "" if value is None else value
                for figures in (row.audits, row.reaudits)
                for value in (getattr(figures, name) for name, _ in CSV_FIGURES)
            ]
            writer.writerow([safe_text(table.title), safe_text(row.label), *cells])
    # With a byte order mark, so Excel opens it as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")
