"""`caseaudit ethnic_population FILE [--council CODE]`: import the child population by ethnic
group from CSV, for the disproportionality figures."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.organisation.selection import council_for
from caseaudit.performance.actions import import_ethnic_population
from caseaudit.performance.disproportionality import MAX_BYTES


class Command(BaseCommand):
    help = (
        "Import the child population by ethnic group from CSV "
        "(the layout is in caseaudit/performance/disproportionality.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--council", help="the council's code, if there is more than one")

    def handle(self, *args, file: str, council, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("The file is too big for a population file (over 1 MB).")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError("Save the file as CSV UTF-8 and try again.") from error
        result = import_ethnic_population(council_for(council), text)
        if result.problems:
            listed = "\n".join(f"  {problem}" for problem in result.problems[:50])
            raise CommandError(f"Nothing was imported:\n{listed}")
        self.stdout.write(f"Imported {result.written:,} population figures by ethnic group.")
