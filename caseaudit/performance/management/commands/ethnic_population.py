"""`caseaudit ethnic_population FILE [--council CODE]`: import the child population by ethnic
group from CSV, for the disproportionality figures."""

from caseaudit.performance.actions import import_ethnic_population
from caseaudit.performance.csv_command import CsvImportCommand
from caseaudit.performance.disproportionality import MAX_BYTES


class Command(CsvImportCommand):
    help = (
        "Import the child population by ethnic group from CSV "
        "(the layout is in caseaudit/performance/disproportionality.py)."
    )
    file_kind = "population"
    max_bytes = MAX_BYTES

    def import_text(self, council, text: str):
        return import_ethnic_population(council, text)

    def imported(self, written: int) -> str:
        return f"Imported {written:,} population figures by ethnic group."
