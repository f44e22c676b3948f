"""What the commands that import one small CSV file into the performance app share
(`caseaudit benchmarks`, `caseaudit ethnic_population`): the file is checked before it is
read, read as CSV UTF-8 (with or without the byte order mark Excel writes), and imported all
or nothing; the first problems are listed and nothing is written."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.organisation.selection import council_for


class CsvImportCommand(BaseCommand):
    # What the file is, in "too big for a … file", and the largest it may be.
    file_kind: str
    max_bytes: int

    def import_text(self, council, text: str):
        """Import the text; returns a result with ``problems`` and ``written``."""
        raise NotImplementedError

    def imported(self, written: int) -> str:
        """What to say when it is done."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--council", help="the council's code, if there is more than one")

    def handle(self, *args, file: str, council, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        if path.stat().st_size > self.max_bytes:
            megabytes = self.max_bytes // (1024 * 1024)
            raise CommandError(
                f"The file is too big for a {self.file_kind} file (over {megabytes} MB)."
            )
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError("Save the file as CSV UTF-8 and try again.") from error
        result = self.import_text(council_for(council), text)
        if result.problems:
            listed = "\n".join(f"  {problem}" for problem in result.problems[:50])
            raise CommandError(f"Nothing was imported:\n{listed}")
        self.stdout.write(self.imported(result.written))
