"""What a child's record page shows: their rows in every list of the current snapshot, each
code shown with its label. One query per list, whatever the child's history."""

import datetime
from dataclasses import dataclass

from caseaudit.cases.annex_a import LISTS_BY_KEY, ColumnSpec, label_for
from caseaudit.cases.models import CHILD_COLUMNS, LIST_MODELS, STAFF_COLUMNS, CaseRecord, Child


@dataclass
class ListRows:
    label: str
    headers: list[str]
    rows: list[list[str]]


def current_lists(child: Child) -> list[ListRows]:
    if child.last_snapshot_id is None:
        return []
    found = []
    for key, model in LIST_MODELS.items():
        if key == "adopters":
            continue
        columns = [c for c in LISTS_BY_KEY[key].columns if c.field not in CHILD_COLUMNS]
        related = [c.field for c in columns if c.field in {"allocated_team", *STAFF_COLUMNS}]
        records = (
            model.objects.filter(snapshot_id=child.last_snapshot_id, child=child)
            .select_related(*related)
            .order_by("row_number")
        )
        rows = [[_display(record, column) for column in columns] for record in records]
        if rows:
            found.append(ListRows(LISTS_BY_KEY[key].label, [c.header for c in columns], rows))
    return found


def _display(record: CaseRecord, column: ColumnSpec) -> str:
    if column.field == "allocated_team" or column.field in STAFF_COLUMNS:
        linked = getattr(record, column.field)
        return str(linked) if linked else getattr(record, f"{column.field}_name")
    value = getattr(record, column.field)
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if column.code_list:
        return label_for(column.code_list, value)
    return str(value)


def child_label(child: Child, attribute: str) -> str:
    lists = {"gender": "gender", "ethnicity": "ethnicity", "disability": "yes_no_unknown"}
    value = getattr(child, attribute)
    return label_for(lists[attribute], value) if value else "Not recorded"
