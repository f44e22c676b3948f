"""`caseaudit report`: reports from the command line, built from the data as it is now.

caseaudit report highlight --month 2020-09 [--from 2018-11] --format html|pdf|docx|xlsx
                           --out FILE [--council CODE]
caseaudit report thematic --audits all|ID[,ID…] --format html|pdf|docx|xlsx --out FILE
                          [--council CODE]
caseaudit report compendium --as-at YYYY-MM-DD --format html|pdf|docx|xlsx --out FILE
                            [--council CODE]
caseaudit report self-evaluation --area ID|NAME [--from YYYY-MM --to YYYY-MM]
                                 --format html|pdf|docx|xlsx --out FILE [--council CODE]
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from caseaudit.audits.compliance import default_period
from caseaudit.audits.management.commands.programme import month_arg
from caseaudit.core import clock
from caseaudit.core.months import month_key
from caseaudit.inspection.models import JudgementArea
from caseaudit.organisation.selection import council_for
from caseaudit.performance.indicators import NoSnapshot
from caseaudit.reports import formats, kinds
from caseaudit.reports.build import build_highlight
from caseaudit.reports.compendium_pack import build_compendium
from caseaudit.reports.thematic_overview import UnknownAudits, build_thematic


class Command(BaseCommand):
    help = (
        "Build a report (highlight, thematic, compendium, self-evaluation) as HTML, PDF, Word "
        "or Excel."
    )

    def add_arguments(self, parser):
        reports = parser.add_subparsers(
            dest="report", required=True, metavar="{highlight,thematic,compendium,self-evaluation}"
        )
        highlight = reports.add_parser("highlight", help="the monthly audit highlight report")
        highlight.add_argument("--month", required=True, help="the month it is for, YYYY-MM")
        highlight.add_argument(
            "--from", dest="from_month", help="the first month, for a cumulative report (YYYY-MM)"
        )
        self._output_arguments(highlight)
        thematic = reports.add_parser("thematic", help="the thematic overview report")
        thematic.add_argument(
            "--audits", required=True, help='"all", or thematic audit IDs separated by commas'
        )
        self._output_arguments(thematic)
        compendium = reports.add_parser("compendium", help="the select-committee pack")
        compendium.add_argument(
            "--as-at", required=True, dest="as_at", help="the date of the case data, YYYY-MM-DD"
        )
        self._output_arguments(compendium)
        evaluation = reports.add_parser(
            "self-evaluation", help="the self-evaluation for one judgement area"
        )
        evaluation.add_argument(
            "--area", required=True, help="the judgement area: its ID or its name"
        )
        evaluation.add_argument(
            "--from", dest="from_month", help="the first month, YYYY-MM (default: a year ago)"
        )
        evaluation.add_argument(
            "--to", dest="to_month", help="the last month, YYYY-MM (default: last month)"
        )
        self._output_arguments(evaluation)

    def _output_arguments(self, parser) -> None:
        parser.add_argument(
            "--format", required=True, choices=sorted(formats.RENDERINGS), dest="fmt"
        )
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument("--council", help="the council's code, if there is more than one")

    def handle(self, *args, report: str, fmt: str, out: str, council, **options):
        chosen = council_for(council)
        if report == "thematic":
            try:
                data = build_thematic(chosen, _audit_ids(options["audits"]))
            except UnknownAudits as error:
                raise CommandError(str(error)) from None
        elif report == "compendium":
            data = _pack(chosen, options["as_at"])
        elif report == "self-evaluation":
            data = _self_evaluation(
                chosen, options["area"], options["from_month"], options["to_month"]
            )
        else:
            data = self._highlight(chosen, options["month"], options["from_month"])
        content = formats.render(data, fmt)
        path = Path(out)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error.strerror}.") from error
        self.stdout.write(f"Wrote {data['title']} for {chosen} to {path} ({len(content):,} bytes).")

    def _highlight(self, chosen, month: str, from_month):
        to_month = month_arg(month)
        first = month_arg(from_month) if from_month else to_month
        if first > to_month:
            raise CommandError("--from must be the same month as --month or before it.")
        return build_highlight(chosen, from_month=first, to_month=to_month)


def _pack(council, text: str):
    try:
        as_at = datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f'--as-at must be a date as YYYY-MM-DD, not "{text}".') from None
    try:
        return build_compendium(council, as_at)
    except NoSnapshot as error:
        raise CommandError(str(error)) from None


def _self_evaluation(council, area: str, from_month, to_month):
    """Checked as the web's form is (``kinds``); the area by its ID or its name."""
    first, last = default_period(clock.today())
    if not area.strip().isdigit():
        named = JudgementArea.objects.for_council(council.pk).filter(name__iexact=area.strip())
        area = str(named.values_list("pk", flat=True).first() or "")
    kind = kinds.KINDS["self-evaluation"]
    try:
        parameters = kind.clean(
            council,
            {
                "area": area,
                "from": from_month or month_key(first),
                "to": to_month or month_key(last),
            },
        )
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None
    return kind.build(council, parameters)


def _audit_ids(text: str) -> list[int] | None:
    """``--audits``: "all" (None), or IDs separated by commas."""
    if text.strip().lower() == "all":
        return None
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(
            f'--audits must be "all" or thematic audit IDs separated by commas, not "{text}".'
        ) from None
    if not ids:
        raise CommandError('--audits must be "all" or thematic audit IDs separated by commas.')
    return ids
