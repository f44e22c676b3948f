"""One list's sheet or CSV file: finding its header, then parsing rows one at a time."""

from __future__ import annotations

import csv
import itertools
import zipfile
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from python_calamine import CalamineError

from .problems import Problem, Severity, column_letter, short_value
from .safety import Limits
from .schema import HeaderMatch, ListSpec, match_headers
from .values import ValueProblem, column_parser, is_blank

__all__ = ["READ_ERRORS", "RawRows", "Row", "SheetReader", "blank_row", "iter_rows"]

RawRows = Iterator[tuple[int, Sequence[object]]]

# What a damaged file raises part-way through; anything else is a bug and should surface.
READ_ERRORS = (csv.Error, UnicodeError, CalamineError, zipfile.BadZipFile)
# A header row must name the record's ID column or at least this many known columns.
_MIN_HEADER_MATCHES = 3


class Row(NamedTuple):
    row_number: int
    values: dict[str, object]  # every field of the list; None when blank, missing or unreadable
    extras: dict[str, object]  # non-blank cells of columns Annex A does not define, raw
    problems: list[Problem]


def blank_row(cells: Sequence[object]) -> bool:
    # A loop rather than all(...): a data row's first cell is its ID, so this returns at once.
    for cell in cells:
        if not is_blank(cell):
            return False
    return True


class SheetReader:
    """One list's sheet (or CSV file). Header problems are known as soon as it is created."""

    def __init__(
        self,
        name: str,
        spec: ListSpec,
        raw_rows: RawRows | None,
        limits: Limits,
        *,
        problems: Sequence[Problem] = (),
        column_offset: int = 0,
    ) -> None:
        self.name = name
        self.spec = spec
        self.problems: list[Problem] = list(problems)
        # Problems that only show up while rows are read (e.g. a CSV that breaks off).
        self.late_problems: list[Problem] = []
        self.header_row: int | None = None
        self.match: HeaderMatch | None = None
        self._raw_rows = raw_rows
        self._pending: list[tuple[int, Sequence[object]]] = []
        self._column_offset = column_offset
        self._extra_keys: dict[int, str] = {}
        self._column_plan: _ColumnPlan | None = None
        self._unknown_by_width: dict[int, tuple[int, ...]] = {}
        self._broken: Exception | None = None
        if raw_rows is not None:
            self._read_header(raw_rows, limits.header_search_rows)

    @property
    def usable(self) -> bool:
        """True when rows can be read: a header was found with every required column."""
        return self.match is not None and self.match.ok

    def close(self) -> None:
        closer = getattr(self._raw_rows, "close", None)
        if closer is not None:
            closer()

    def _problem(
        self,
        severity: Severity,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> Problem:
        return Problem(severity, self.name, row, column, short_value(value), message)

    # --- header ---------------------------------------------------------------------------

    def _read_header(self, raw_rows: RawRows, search_rows: int) -> None:
        candidates: list[tuple[int, Sequence[object]]] = []
        after_window: tuple[int, Sequence[object]] | None = None
        try:
            for row_number, cells in raw_rows:
                if row_number > search_rows:
                    after_window = (row_number, cells)
                    break
                if not blank_row(cells):
                    candidates.append((row_number, cells))
        except READ_ERRORS as error:
            # Keep what was read: the header and first rows may be fine.
            self._broken = error

        for position, (row_number, cells) in enumerate(candidates):
            match = match_headers(self.spec, cells)
            if self.spec.id_field in match.indices or len(match.indices) >= _MIN_HEADER_MATCHES:
                self._accept_header(row_number, match, candidates[:position])
                self._pending = candidates[position + 1 :]
                if after_window is not None:
                    self._pending.append(after_window)
                return
        if self._broken is not None:
            self.problems.append(
                self._problem("error", f"The sheet could not be read: {self._broken}.")
            )
            return
        self._report_no_header(candidates, after_window, search_rows)

    def _report_no_header(
        self,
        candidates: list[tuple[int, Sequence[object]]],
        after_window: tuple[int, Sequence[object]] | None,
        search_rows: int,
    ) -> None:
        if not candidates and after_window is None:
            self.problems.append(
                self._problem(
                    "warning",
                    f"The sheet is empty: no header row and no data for {self.spec.label}.",
                )
            )
            return
        if not candidates:
            self.problems.append(
                self._problem(
                    "error",
                    f"The first {search_rows} rows are blank, so no header row was found; the "
                    "headings should be in row 1. The sheet was not read.",
                )
            )
            return
        row_number, cells = candidates[0]
        found = ", ".join(f"'{short_value(cell)}'" for cell in cells if not is_blank(cell))
        expected = ", ".join(f"'{column.header}'" for column in self.spec.columns[:6])
        self.problems.append(
            self._problem(
                "error",
                f"Could not find the header row: the headings in row {row_number} ({found}) do not "
                f"match {self.spec.label}, which expects headings such as {expected}. "
                "The sheet was not read.",
                row=row_number,
            )
        )

    def _accept_header(
        self, row_number: int, match: HeaderMatch, above: list[tuple[int, Sequence[object]]]
    ) -> None:
        self.header_row = row_number
        self.match = match
        if above:
            rows = ", ".join(str(number) for number, _cells in above)
            self.problems.append(
                self._problem(
                    "warning",
                    f"Row(s) {rows} above the header row ({row_number}) were ignored.",
                    row=above[0][0],
                )
            )
        for field_name in match.missing_required:
            header = self.spec.column(field_name).header
            self.problems.append(
                self._problem(
                    "error",
                    f"Required column '{header}' is missing, so this sheet was not read. "
                    "Headings are matched by name, not position: check its spelling.",
                    row=row_number,
                    column=header,
                )
            )
        for field_name in match.missing_optional:
            header = self.spec.column(field_name).header
            self.problems.append(
                self._problem(
                    "warning",
                    f"Column '{header}' was not found; its values are left blank.",
                    row=row_number,
                    column=header,
                )
            )
        for header in match.extras.values():
            self.problems.append(
                self._problem(
                    "warning",
                    f"Extra column '{header}' is not part of {self.spec.label}; its values are "
                    "kept aside, not checked.",
                    row=row_number,
                    column=header,
                )
            )
        for index, header in match.duplicates.items():
            self.problems.append(
                self._problem(
                    "warning",
                    f"Column '{header}' appears more than once; the first one was used and this "
                    f"one (column {self._letter(index)}) is kept aside.",
                    row=row_number,
                    column=header,
                )
            )
        self._extra_keys = self._name_extras(match)

    def _letter(self, index: int) -> str:
        return column_letter(index + self._column_offset)

    def _name_extras(self, match: HeaderMatch) -> dict[int, str]:
        keys: dict[int, str] = {}
        used: set[str] = set(match.headers.values())
        for index, header in sorted({**match.extras, **match.duplicates}.items()):
            key = header if header not in used else f"{header} (column {self._letter(index)})"
            used.add(key)
            keys[index] = key
        return keys

    # --- rows -----------------------------------------------------------------------------

    def rows(self) -> Iterator[Row]:
        if not self.usable or self._raw_rows is None:
            return
        last_row = self.header_row or 0
        unheaded_reported: set[int] = set()
        # Hand the buffered rows over once, so a second iteration cannot repeat them.
        pending, self._pending = self._pending, []
        remaining: Iterator[tuple[int, Sequence[object]]] = (
            iter(()) if self._broken is not None else self._raw_rows
        )
        try:
            for row_number, cells in itertools.chain(pending, remaining):
                last_row = row_number
                if not blank_row(cells):
                    yield self._parse_row(row_number, cells, unheaded_reported)
        except READ_ERRORS as error:
            self._broken = error
        if self._broken is not None and not self.late_problems:
            self.late_problems.append(
                self._problem(
                    "error",
                    f"Reading stopped after row {last_row}: {self._broken}. "
                    "Rows after it were not read.",
                    row=last_row + 1,
                )
            )

    def _plan(self) -> _ColumnPlan:
        """Per column: where it is and how to read it, worked out once per sheet, not per row."""
        if self._column_plan is None:
            assert self.match is not None
            present = []
            for column in self.spec.columns:
                index = self.match.indices.get(column.field)
                if index is not None:
                    present.append(
                        (
                            column.field,
                            index,
                            self.match.headers.get(column.field, column.header),
                            column_parser(column.kind, column.code_list),
                            column.required,
                        )
                    )
            # Every field is in every row's values, in the list's order; absent columns are None.
            self._column_plan = _ColumnPlan(
                dict.fromkeys(column.field for column in self.spec.columns),
                present,
                max((index for _f, index, *_rest in present), default=-1) + 1,
                frozenset(self.match.indices.values()),
            )
        return self._column_plan

    def _unknown_indices(self, width: int) -> tuple[int, ...]:
        """The positions, in a row this wide, of cells no Annex A column claims."""
        unknown = self._unknown_by_width.get(width)
        if unknown is None:
            known = self._plan().known
            unknown = tuple(index for index in range(width) if index not in known)
            self._unknown_by_width[width] = unknown
        return unknown

    def _parse_row(
        self, row_number: int, cells: Sequence[object], unheaded_reported: set[int]
    ) -> Row:
        plan = self._plan()
        values = plan.template.copy()
        problems: list[Problem] = []
        width = len(cells)
        short = width < plan.width
        for field_name, index, header, parse, required in plan.present:
            raw = None if short and index >= width else cells[index]
            try:
                value = parse(raw)
            except ValueProblem as problem:
                problems.append(
                    self._problem("error", str(problem), row=row_number, column=header, value=raw)
                )
                continue
            if value is None:
                if required:
                    problems.append(
                        self._problem(
                            "error",
                            f"'{header}' is blank; every row needs one.",
                            row=row_number,
                            column=header,
                        )
                    )
                continue
            values[field_name] = value

        extras: dict[str, object] = {}
        for index in self._unknown_indices(width):
            raw = cells[index]
            if is_blank(raw):
                continue
            key = self._extra_keys.get(index)
            if key is None:
                key = f"(no heading, column {self._letter(index)})"
                if index not in unheaded_reported:
                    unheaded_reported.add(index)
                    problems.append(
                        self._problem(
                            "warning",
                            f"Column {self._letter(index)} has values but no heading; they are "
                            "kept aside, not checked.",
                            row=row_number,
                            column=key,
                            value=raw,
                        )
                    )
            extras[key] = raw
        return Row(row_number, values, extras, problems)


class _ColumnPlan(NamedTuple):
    template: dict[str, None]  # every field of the list, blank
    present: list[tuple]  # (field, index, header, parser, required) for columns in the file
    width: int  # a row at least this wide has every present column
    known: frozenset[int]  # indices Annex A columns claim


def iter_rows(sheet: SheetReader) -> Iterator[Row]:
    """(row_number, values, extras, problems) for each non-blank data row, lazily."""
    return sheet.rows()
