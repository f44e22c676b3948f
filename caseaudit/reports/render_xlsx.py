"""The report's data as Excel, for analysts: an "About" sheet (what the workbook is, each
table's title, what ``c`` means), a "Definitions" sheet, then one sheet per table with its
headings on row 1 and its rows below, nothing else. Counts are numbers, percentages are
numbers shown as percentages, months are dates; every text cell is neutralised so a
spreadsheet never runs it as a formula (DESIGN.md: exports neutralise spreadsheet formulas in
text cells)."""

import datetime
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from caseaudit.core.spreadsheets import safe_text
from caseaudit.reports import document
from caseaudit.reports.build import ordered_tables
from caseaudit.reports.choices import Edition
from caseaudit.reports.definitions import DEFINITIONS, SUPPRESSED_NOTE
from caseaudit.reports.formats import INTERNAL_WARNING, is_highlight

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
PERCENT = re.compile(r"^(\d{1,3})%$")


def _write(sheet, row: int, column: int, value, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool) or value is None:
        cell.value = "" if value is None else str(value)
    elif isinstance(value, int | float | datetime.date):
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


def _cell_value(value):
    """A data cell as an analyst wants it: "80%" as 0.8 shown as a percentage, "March 2024"
    as the month's first day shown as a month; anything else as it is."""
    if isinstance(value, str):
        if match := PERCENT.match(value):
            return int(match[1]) / 100, "0%"
        try:
            return datetime.datetime.strptime(value, "%B %Y").date(), "mmmm yyyy"  # noqa: DTZ007
        except ValueError:
            pass
    return value, None


def _write_table(sheet, table: dict) -> None:
    # Headings on row 1, none blank: a table an analyst can filter and pivot as it is.
    for column, heading in enumerate(table["columns"], 1):
        _write(sheet, 1, column, heading or f"Column {column}", bold=True)
    rows = [*table["rows"], *([table["total"]] if table.get("total") else [])]
    for number, values in enumerate(rows, 2):
        is_total = table.get("total") is not None and number == 1 + len(rows)
        for column, raw in enumerate(values, 1):
            value, number_format = _cell_value(raw)
            _write(sheet, number, column, value, bold=is_total or column == 1)
            if number_format:
                sheet.cell(row=number, column=column).number_format = number_format
    for column in range(1, len(table["columns"]) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 40 if column == 1 else 14
    sheet.freeze_panes = "B2"


def _about(sheet, data: dict, tables: list[tuple[str, dict]]) -> None:
    _write(sheet, 1, 1, "Sheet", bold=True)
    _write(sheet, 1, 2, "What it holds", bold=True)
    _write(sheet, 2, 1, "Report")
    _write(sheet, 2, 2, f"{data['council']}: {data['title']}")
    _write(sheet, 3, 1, "Definitions")
    _write(sheet, 3, 2, "What each figure means")
    for number, (name, table) in enumerate(tables, 4):
        _write(sheet, number, 1, name)
        _write(sheet, number, 2, table["title"])
    if data.get("edition") == Edition.INTERNAL:
        _write(sheet, 5 + len(tables), 1, INTERNAL_WARNING, bold=True)
    else:
        _write(sheet, 5 + len(tables), 1, SUPPRESSED_NOTE)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90


def _definitions(sheet, data: dict) -> None:
    _write(sheet, 1, 1, "Term", bold=True)
    _write(sheet, 1, 2, "Meaning", bold=True)
    # A report published before its data kept the definitions gets today's.
    terms = [(d["term"], d["meaning"]) for d in data.get("definitions", [])] or DEFINITIONS
    for number, (term, meaning) in enumerate(terms, 2):
        _write(sheet, number, 1, term)
        _write(sheet, number, 2, meaning)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90


def render_xlsx(data: dict) -> bytes:
    """Any report's data: the highlight report's tables, or a ``reports.document``'s."""
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    definitions = workbook.create_sheet("Definitions")
    workbook.properties.title = safe_text(data["title"])
    workbook.properties.creator = safe_text(data["council"])
    taken: set[str] = {"about", "definitions"}
    tables = []
    shown = ordered_tables(data) if is_highlight(data) else document.tables(data)
    for table in shown:
        name = _sheet_name(table["sheet"], taken)
        _write_table(workbook.create_sheet(name), table)
        tables.append((name, table))
    _about(about, data, tables)
    _definitions(definitions, data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
