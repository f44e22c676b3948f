"""`caseaudit backup --out FILE`: the whole service, online, into one file with its checksum."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (case data, audits, published reports, the access log and the "
        "change history) into one file, taken online. The log key is not in it: keep the key "
        "apart (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, out: str, **options):
        try:
            manifest = backup.backup(Path(out))
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {manifest.vendor_name} database to {out} "
            f"({Path(out).stat().st_size:,} bytes, taken {manifest.taken_at}).\n"
            f"SHA-256 of the file: {backup.file_sha256(Path(out))}"
        )
