"""`caseaudit restore FILE [--replace]`: a backup back into the database DATABASE_URL names."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `caseaudit backup` into the database DATABASE_URL names: an "
        "empty one, or with --replace one whose contents it replaces. The file's checksum and "
        "database kind are checked first; the restore is all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace everything in a database that is not empty",
        )

    def handle(self, *args, file: str, replace: bool, **options):
        try:
            manifest = backup.restore(Path(file), replace=replace)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup taken {manifest.taken_at} ({manifest.vendor_name}).\n"
            "Next: check the logs with `caseaudit verify-log` (they are checked against the "
            "log key, which is not in the backup)."
        )
        advice = backup.schema_advice(manifest)
        if advice:
            self.stdout.write(advice)
