"""`caseaudit import FILE`: load an Annex A return (.xlsx, a .csv, a folder or .zip of .csv)."""

import datetime
import json as jsonlib
import sys

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.organisation.actions import start_council
from caseaudit.organisation.models import Council
from caseaudit.organisation.selection import council_for


def parse_day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-at must be a date like 2026-03-31, not {text!r}") from None


class Command(BaseCommand):
    help = "Import an Annex A return. Exit status 0 when loaded or unchanged, 1 when refused."

    def add_arguments(self, parser):
        parser.add_argument("file", help=".xlsx, .csv, a folder of .csv files, or a .zip of them")
        parser.add_argument("--as-at", type=parse_day, help="the date the lists were taken")
        parser.add_argument("--council", help="the council's code, if there is more than one")
        parser.add_argument(
            "--council-name",
            help="with --council, create the council if it does not exist yet (a fresh install)",
        )
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, file, as_at, council, council_name, json: bool, **options):
        target = self._council(council, council_name)
        show_progress = not json and self.stdout.isatty()

        def progress(rows: int) -> None:
            if show_progress:
                self.stdout.write(f"\r  {rows:,} rows read…", ending="")
                self.stdout.flush()

        summary = import_annex_a(file, council=target, as_at=as_at, progress=progress)
        if show_progress:
            self.stdout.write("")
        if json:
            self.stdout.write(dumps(summary.as_json()))
        else:
            self._describe(summary)
        if summary.refused:
            sys.exit(1)

    def _council(self, code: str | None, name: str | None) -> Council:
        if name and not code:
            raise CommandError("--council-name needs --council CODE, the council's DfE code.")
        if code and name and not Council.objects.filter(code=code).exists():
            try:
                council = start_council(code=code, name=name)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stderr.write(f"Created the council {council.name} ({council.code}).")
            return council
        if not Council.objects.exists():
            raise CommandError(
                "There is no council yet. Name the one this return is for: "
                "--council CODE --council-name NAME (CODE is its DfE local-authority code)."
            )
        return council_for(code)

    def _describe(self, summary) -> None:
        write = self.stdout.write
        write(f"{summary.source}: {ImportStatus(summary.status).label}")
        for key, count in summary.rows.items():
            write(f"  {key:<14} {count:>9,} rows")
        write(
            f"  children: {summary.children_created:,} new, {summary.children_updated:,} "
            f"updated, {summary.children_unchanged:,} unchanged"
        )
        write(
            f"  {summary.errors:,} errors, {summary.warnings:,} warnings, {summary.seconds:.1f} s"
        )
        for problem in summary.problems[:50]:
            where = ", ".join(
                part
                for part in (
                    problem.sheet,
                    f"row {problem.row}" if problem.row else None,
                    f"column '{problem.column}'" if problem.column else None,
                )
                if part
            )
            write(f"  {problem.severity.upper()}: {where}: {problem.message}")
        if len(summary.problems) > 50:
            write(f"  … and {summary.errors + summary.warnings - 50:,} more problems")


def dumps(data) -> str:
    return jsonlib.dumps(data, indent=2, default=str)
