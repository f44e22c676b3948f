"""`caseaudit benchmarks FILE [--council CODE]`: import benchmark figures from CSV."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.organisation.selection import council_for
from caseaudit.performance.actions import import_benchmarks
from caseaudit.performance.benchmarks import MAX_BYTES


class Command(BaseCommand):
    help = (
        "Import statistical neighbours', regional and England figures from CSV "
        "(the layout is in caseaudit/performance/benchmarks.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--council", help="the council's code, if there is more than one")

    def handle(self, *args, file: str, council, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("The file is too big for a benchmarks file (over 2 MB).")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError("Save the file as CSV UTF-8 and try again.") from error
        result = import_benchmarks(council_for(council), text)
        if result.problems:
            listed = "\n".join(f"  {problem}" for problem in result.problems[:50])
            raise CommandError(f"Nothing was imported:\n{listed}")
        self.stdout.write(f"Imported {result.written:,} benchmark figures.")
