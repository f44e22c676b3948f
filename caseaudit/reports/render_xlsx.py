"""The report's data as Excel: one sheet per table, numbers as numbers, and every text cell
neutralised so a spreadsheet never runs it as a formula (DESIGN.md: exports neutralise
spreadsheet formulas in text cells)."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from caseaudit.reports.build import ordered_tables

# What a spreadsheet may read as the start of a formula (OWASP's list, with tab and return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as written: a leading apostrophe before a formula start."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def _write(sheet, row: int, column: int, value, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool) or value is None:
        cell.value = "" if value is None else str(value)
    elif isinstance(value, int | float):
        cell.value = value
    else:
        # Set as a string explicitly: openpyxl would otherwise store "=…" as a formula.
        cell.value = safe_text(str(value))
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)


def _sheet_name(name: str, taken: set[str]) -> str:
    name = SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Table"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def render_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = safe_text(data["title"])
    workbook.properties.creator = safe_text(data["council"])
    taken: set[str] = set()
    for table in ordered_tables(data):
        sheet = workbook.create_sheet(_sheet_name(table["sheet"], taken))
        _write(sheet, 1, 1, table["title"], bold=True)
        _write(sheet, 2, 1, f"{data['council']}: {data['title']}")
        for column, heading in enumerate(table["columns"], 1):
            _write(sheet, 4, column, heading, bold=True)
        rows = [*table["rows"], *([table["total"]] if table.get("total") else [])]
        for number, values in enumerate(rows, 5):
            is_total = table.get("total") is not None and number == 4 + len(rows)
            for column, value in enumerate(values, 1):
                _write(sheet, number, column, value, bold=is_total or column == 1)
        last = 5 + len(rows)
        if table.get("suppressed"):
            _write(
                sheet,
                last + 1,
                1,
                "c: a count from 1 to 5, or a figure that would give one away, is not shown.",
            )
        for column in range(1, len(table["columns"]) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 40 if column == 1 else 14
        sheet.freeze_panes = "B5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
