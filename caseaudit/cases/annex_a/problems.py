"""Problems found while reading an Annex A return, worded for the analyst who must fix them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = ["Problem", "Severity", "SourceError", "column_letter", "short_value"]

Severity = Literal["error", "warning"]

_MAX_VALUE_CHARS = 60


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, sheet, row or cell.

    severity: 'error' means data could not be read (a refused file, an unusable sheet, or a
        cell whose value was left empty); 'warning' means it was read but deserves a look.
    sheet: sheet name, or CSV file name; None for problems with the whole file.
    row: 1-based spreadsheet row (the header is normally row 1); None above row level.
    column: the header text as it appears in the file (or the canonical header when missing).
    value: the offending value, shortened and safe to display.
    """

    severity: Severity
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str


class SourceError(Exception):
    """A file refused before any of it was parsed (too big, not a workbook, zip bomb...)."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.name = name

    @property
    def problem(self) -> Problem:
        return Problem("error", self.name, None, None, None, self.message)


def short_value(raw: object) -> str | None:
    """A short, printable rendering of a cell for messages (never the repr of huge text)."""
    if raw is None:
        return None
    if isinstance(raw, dt.date | dt.time):
        text = raw.isoformat()
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    else:
        text = str(raw)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
