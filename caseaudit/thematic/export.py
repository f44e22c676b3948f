"""A thematic audit's action plan as CSV or Excel, for those who may see the plan. It names no
child: the plan's own words, who owns each action and where it stands, never the audits (and
so the children) that evidence a finding."""

import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from caseaudit.core import clock
from caseaudit.core.spreadsheets import safe_text

COLUMNS = (
    "Action",
    "Intended outcome",
    "Finding it answers",
    "Recommendation it answers",
    "Owner",
    "Due date",
    "Status",
    "Overdue",
    "Completed on",
    "Evidence of completion",
)


def plan_rows(thematic_audit) -> list[tuple]:
    """One row per action, in the plan's order: one query."""
    today = clock.today()
    rows = []
    for action in thematic_audit.actions.select_related("owner", "finding", "recommendation"):
        rows.append(
            (
                action.action,
                action.intended_outcome,
                action.finding.summary if action.finding else "",
                action.recommendation.text if action.recommendation else "",
                action.owner.display_name,
                action.due_date,
                action.get_status_display(),
                "Yes" if action.is_overdue_on(today) else "No",
                action.completed_on,
                action.evidence,
            )
        )
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_text(str(value))


def as_csv(thematic_audit) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in plan_rows(thematic_audit):
        writer.writerow([_text(value) for value in row])
    # With a byte order mark, so Excel opens it as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(thematic_audit) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Action plan"
    for column, heading in enumerate(COLUMNS, 1):
        sheet.cell(row=1, column=column, value=heading).font = Font(bold=True)
    for number, row in enumerate(plan_rows(thematic_audit), 2):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "d mmmm yyyy"
            else:
                # Set as a string explicitly: openpyxl would otherwise store "=…" as a formula.
                cell.value = _text(value)
                cell.data_type = "s"
    for column, width in zip("ABCDEFGHIJ", (50, 40, 40, 40, 24, 16, 14, 10, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
