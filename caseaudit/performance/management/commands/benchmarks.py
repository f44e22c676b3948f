"""`caseaudit benchmarks FILE [--council CODE]`: import benchmark figures from CSV."""

from caseaudit.performance.actions import import_benchmarks
from caseaudit.performance.benchmarks import MAX_BYTES
from caseaudit.performance.csv_command import CsvImportCommand


class Command(CsvImportCommand):
    help = (
        "Import statistical neighbours', regional and England figures from CSV "
        "(the layout is in caseaudit/performance/benchmarks.py)."
    )
    file_kind = "benchmarks"
    max_bytes = MAX_BYTES

    def import_text(self, council, text: str):
        return import_benchmarks(council, text)

    def imported(self, written: int) -> str:
        return f"Imported {written:,} benchmark figures."
