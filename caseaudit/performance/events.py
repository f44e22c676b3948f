"""Tracker events: the practice events Annex A does not carry, read from a council's CSV.

The layout (docs/practice-trackers.md; the import page shows it too). UTF-8, headers in
row 1, matched without regard to case or spaces, one event per row:

    la_child_id,event,date
    A1001,ppm,2024-01-15
    A1002,fgc_referral,03/01/2024

- ``la_child_id``: the child's LA child ID, as the council's Annex A return gives it. The
  child must already be in the council's case data.
- ``event``: one of ``EVENT_CODES`` (``ppm``, ``fgc_referral``, ``fgc_held``,
  ``missing_episode``, ``strategy_meeting``, ``core_group``).
- ``date``: the day it happened, ``YYYY-MM-DD`` or ``dd/mm/yyyy``; today or earlier.

Reading checks every row and lists every problem by row number and column; the import
(``actions.import_tracker_events``) writes nothing unless every row is good. An event already
held (the same child, event and day) is not added again, so importing a file twice, or a
file that repeats earlier rows, changes nothing for those rows.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from caseaudit.performance.choices import TrackerEvent

COLUMNS = ("la_child_id", "event", "date")
EVENT_CODES = tuple(event.value for event in TrackerEvent)
MAX_BYTES = 5 * 1024 * 1024
DATE_EXAMPLE = "for example 2024-03-27 or 27/03/2024"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, said as GOV.UK error messages say it."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class EventRow:
    row: int
    la_child_id: str
    event: str
    date: datetime.date


@dataclass
class ReadEvents:
    rows: list[EventRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (row number, LA child ID) of every row that names a child, good or not: whether each
    # child is the council's is checked for them all, so every problem is reported at once.
    named: list[tuple[int, str]] = field(default_factory=list)


def _header(text: str) -> str:
    return "_".join(text.strip().lstrip("\ufeff").lower().replace("-", " ").split())


def parse_date(text: str) -> datetime.date | None:
    """``YYYY-MM-DD`` or ``dd/mm/yyyy`` (as Annex A's CSVs write dates), else None."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = text.split("/")
            if len(year) != 4:
                return None
            return datetime.date(int(year), int(month), int(day))
        return datetime.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def decode(data: bytes) -> str | None:
    """The file's text (UTF-8, with or without a byte-order mark), or None if it is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_events(text: str, *, today: datetime.date) -> ReadEvents:
    """Every row of the CSV read and checked on its own; whether each child is the council's
    is the import's question (it needs the database)."""
    result = ReadEvents()
    reader = csv.reader(io.StringIO(text))
    try:
        headers = [_header(h) for h in next(reader)]
    except StopIteration:
        result.problems.append(Problem(1, "", "The file is empty: it needs the header row"))
        return result
    for column in COLUMNS:
        if column not in headers:
            result.problems.append(Problem(1, column, f"There is no '{column}' column"))
    if result.problems:
        return result
    position = {column: headers.index(column) for column in COLUMNS}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(column: str, cells=cells) -> str:
            index = position[column]
            return cells[index].strip() if index < len(cells) else ""

        problems = []
        child_id = cell("la_child_id")
        if child_id:
            result.named.append((number, child_id))
        else:
            problems.append(Problem(number, "la_child_id", "Enter the child's LA child ID"))
        event = cell("event").lower()
        if event not in EVENT_CODES:
            what = f"'{cell('event')}' is not an event" if event else "Enter the event"
            problems.append(
                Problem(number, "event", f"{what}: use one of {', '.join(EVENT_CODES)}")
            )
        day = parse_date(cell("date"))
        if not cell("date"):
            problems.append(Problem(number, "date", f"Enter the date, {DATE_EXAMPLE}"))
        elif day is None:
            problems.append(
                Problem(number, "date", f"'{cell('date')}' is not a real date: {DATE_EXAMPLE}")
            )
        elif day > today:
            problems.append(Problem(number, "date", "The date must be today or in the past"))
        if problems:
            result.problems.extend(problems)
        else:
            result.rows.append(EventRow(number, child_id, event, day))
    if not result.rows and not result.problems:
        result.problems.append(Problem(2, "", "The file has no events: add a row for each"))
    return result
