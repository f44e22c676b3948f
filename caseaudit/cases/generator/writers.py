"""Writing a return as one .xlsx workbook or a folder of CSV files, a row at a time.

Journeys are built once each and their rows arrive for all lists interleaved. The CSV writer
keeps one file per list open and writes each row as it comes. A workbook cannot be written
that way: xlsxwriter's constant-memory mode streams each sheet to disk but must finish one
sheet before starting the next. So rows are first spooled to one temporary file per list
(beside the output), then each spool is copied into its sheet in turn. Memory holds a row at a
time either way.

Both are byte-for-byte repeatable: the workbook's creation date is fixed, and xlsxwriter
stamps its zip entries with a fixed date.
"""

from __future__ import annotations

import csv
import datetime as dt
import pickle  # nosec B403 # our own spool file
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Protocol

import xlsxwriter

from .presentation import format_date

__all__ = ["CsvReturnWriter", "ReturnWriter", "XlsxReturnWriter"]

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Fixed, so that the same arguments make the same file.
_CREATED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


class ReturnWriter(Protocol):
    path: Path

    def add(self, list_number: int, cells: Sequence[object]) -> None: ...

    def close(self) -> dict[int, int]:
        """Finish the files; return the number of rows written per list."""
        ...

    def abort(self) -> None:
        """Give up part-way: close everything, leave no temporary files."""
        ...


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is dt.date:
        return format_date(value)  # type: ignore[arg-type]
    if kind is float:
        # The value a workbook would hold (xlsxwriter keeps 16 significant digits), written as
        # Python does, so both formats read back the same and whole numbers keep their '.0'.
        return repr(float(f"{value:.16g}"))
    return str(value)


class CsvReturnWriter:
    """A folder with one UTF-8 CSV file per list, named like 'List_1.csv'."""

    def __init__(self, path: Path, headers: dict[int, Sequence[str]]) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self._files: dict[int, IO[str]] = {}
        self._writers = {}
        self._counts = dict.fromkeys(headers, 0)
        for number, names in headers.items():
            handle = (path / f"List_{number}.csv").open("w", encoding="utf-8", newline="")
            self._files[number] = handle
            self._writers[number] = csv.writer(handle)
            self._writers[number].writerow(names)

    def add(self, list_number: int, cells: Sequence[object]) -> None:
        self._writers[list_number].writerow([_csv_text(value) for value in cells])
        self._counts[list_number] += 1

    def close(self) -> dict[int, int]:
        for handle in self._files.values():
            handle.close()
        return self._counts

    def abort(self) -> None:
        self.close()


def _spooled(value: object) -> object:
    # A date travels as a one-item tuple holding its Excel serial: cheaper to spool than a date.
    if type(value) is dt.date:
        return ((value - _EXCEL_EPOCH).days,)  # type: ignore[operator]
    return value


class XlsxReturnWriter:
    """One workbook, a sheet per list ('List 1' ...), dates as real Excel dates."""

    def __init__(self, path: Path, headers: dict[int, Sequence[str]], *, title: str) -> None:
        self.path = path
        self._title = title
        self._headers = headers
        self._spool_dir = tempfile.TemporaryDirectory(prefix=".annex-a-", dir=path.parent)
        self._spools: dict[int, IO[bytes]] = {}
        self._picklers: dict[int, pickle.Pickler] = {}
        self._counts = dict.fromkeys(headers, 0)
        for number in headers:
            handle = (Path(self._spool_dir.name) / f"{number}.spool").open("wb")
            self._spools[number] = handle
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            # No memo: rows share nothing worth referring back to, and a memo would grow with
            # every row written (and must never be cleared part-way, or reading goes wrong).
            pickler.fast = True
            self._picklers[number] = pickler

    def add(self, list_number: int, cells: Sequence[object]) -> None:
        self._picklers[list_number].dump([_spooled(value) for value in cells])
        self._counts[list_number] += 1

    def close(self) -> dict[int, int]:
        try:
            for handle in self._spools.values():
                handle.close()
            self._write_workbook()
        finally:
            self._spool_dir.cleanup()
        return self._counts

    def abort(self) -> None:
        for handle in self._spools.values():
            handle.close()
        self._spool_dir.cleanup()

    def _spooled_rows(self, number: int) -> Iterator[list[object]]:
        with (Path(self._spool_dir.name) / f"{number}.spool").open("rb") as handle:
            unpickler = pickle.Unpickler(handle)  # noqa: S301 (our own spool, just written) # nosec B301
            for _row in range(self._counts[number]):
                yield unpickler.load()

    def _write_workbook(self) -> None:
        workbook = xlsxwriter.Workbook(
            str(self.path),
            {
                "constant_memory": True,
                "tmpdir": self._spool_dir.name,
                # Text stays text: never turned into formulas, links or numbers.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        workbook.set_properties(
            {
                "title": self._title,
                "author": "caseaudit synthetic data generator",
                "comments": "Synthetic data for testing and demonstration: no real people.",
                "created": _CREATED,
            }
        )
        date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        bold = workbook.add_format({"bold": True})
        for number, headers in self._headers.items():
            sheet = workbook.add_worksheet(f"List {number}")
            sheet.set_column(0, len(headers) - 1, 16)
            sheet.freeze_panes(1, 0)
            for column, header in enumerate(headers):
                sheet.write_string(0, column, header, bold)
            write_string, write_number = sheet.write_string, sheet.write_number
            for row_index, cells in enumerate(self._spooled_rows(number), start=1):
                for column, value in enumerate(cells):
                    kind = type(value)
                    if value is None or kind is str and not value:
                        continue
                    if kind is str:
                        write_string(row_index, column, value)  # type: ignore[arg-type]
                    elif kind is tuple:
                        write_number(row_index, column, value[0], date_format)  # type: ignore[index]
                    else:
                        write_number(row_index, column, value)  # type: ignore[arg-type]
        workbook.close()
