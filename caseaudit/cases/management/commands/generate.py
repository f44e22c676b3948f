"""`caseaudit generate`: write synthetic councils' Annex A returns (no real person in them)."""

import datetime
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from caseaudit.cases.generator import DEFAULT_AS_AT, generate


class Command(BaseCommand):
    help = "Write Annex A returns for synthetic councils, deterministic from --seed."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="folder to write into")
        parser.add_argument("--councils", type=int, default=1)
        parser.add_argument("--scale", type=float, default=1.0, help="1 = a council like Surrey")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--as-at", default=DEFAULT_AS_AT.isoformat())

    def handle(self, *args, out, councils, scale, seed, format, as_at, **options):
        if councils < 1 or scale <= 0:
            raise CommandError("--councils must be at least 1 and --scale more than 0.")
        try:
            as_at_date = datetime.date.fromisoformat(as_at)
        except ValueError:
            raise CommandError(f"--as-at must be a date like 2025-03-31, not {as_at!r}") from None
        on_terminal = self.stdout.isatty()

        def progress(rows: int) -> None:
            if on_terminal:
                self.stdout.write(f"\r  {rows:,} rows written…", ending="")
                self.stdout.flush()

        results = generate(
            Path(out),
            councils=councils,
            scale=scale,
            seed=seed,
            fmt=format,
            as_at=as_at_date,
            progress=progress,
        )
        if on_terminal:
            self.stdout.write("")
        for result in results:
            self.stdout.write(
                f"{result.council.name} ({result.council.code}): {result.total_rows:,} rows "
                f"→ {result.path}"
            )
