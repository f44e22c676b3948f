"""Reading an Annex A return defensively, one row at a time.

``open_source(path)`` accepts an .xlsx workbook (one sheet per list), a single .csv (one list,
named like 'List 3.csv'), a folder of such CSVs, or a .zip of them. Every upload is checked
(size, real file type, zip bomb) before any of it is parsed; refusals raise ``SourceError``.

Everything else is reported as ``Problem`` values rather than exceptions, so one bad sheet or
cell never hides the rest of the return::

    with open_source(path) as source:
        report(source.problems)                      # missing lists, ignored sheets
        for sheet in source.sheets():
            report(sheet.problems)                   # header and column problems
            for row_number, values, extras, problems in iter_rows(sheet):
                ...
            report(sheet.late_problems)              # reading cut short part-way (rare)

Each sheet must be read before asking for the next: the previous one's file is then closed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

from .first_rows import first_rows
from .problems import Problem, Severity, SourceError
from .safety import (
    Limits,
    check_file_size,
    check_zip_archive,
    describe_bytes,
    sniff_kind,
    verify_declared_sizes,
)
from .schema import LISTS, ListSpec, find_list_for_sheet, match_headers
from .sheet import READ_ERRORS, RawRows, Row, SheetReader, blank_row, iter_rows
from .textfiles import BinaryOpener, csv_rows, detect_encoding, encoding_warning

__all__ = [
    "Limits",
    "Problem",
    "Row",
    "SheetReader",
    "Source",
    "SourceError",
    "iter_rows",
    "open_source",
]

_EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_UNSUPPORTED_SUFFIXES = {
    ".xls": "an old-format Excel file",
    ".xlsb": "a binary Excel file",
    ".ods": "an OpenDocument spreadsheet",
}


# --- sources --------------------------------------------------------------------------------


@dataclass
class _Entry:
    """A sheet-to-be: its name, its list, and how to build its reader when asked."""

    name: str
    spec: ListSpec
    build: Callable[[], SheetReader]
    # Known from the sheet's first rows, before it is read: its header row is unusable.
    unusable: SheetReader | None = None


@dataclass
class Source:
    """An opened return. ``problems`` holds whole-file findings known at open time."""

    path: Path
    kind: str  # 'xlsx' | 'csv' | 'folder' | 'zip'
    problems: list[Problem]
    _entries: list[_Entry] = field(repr=False)
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @property
    def lists(self) -> list[ListSpec]:
        return [entry.spec for entry in self._entries]

    @property
    def unusable_headers(self) -> list[Problem]:
        """The problems of sheets already known, from their first rows, to have no usable
        header row (workbooks only): an importer can refuse the file on these before
        reading the bulk of any sheet."""
        return [
            problem
            for entry in self._entries
            if entry.unusable is not None
            for problem in entry.unusable.problems
        ]

    def sheets(self) -> Iterator[SheetReader]:
        """A reader per list found, in list order; each closes when the next is asked for."""
        for entry in self._entries:
            sheet = entry.build()
            try:
                yield sheet
            finally:
                sheet.close()

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_source(path: str | Path, *, limits: Limits | None = None) -> Source:
    """Open an Annex A return after the safety checks; raises SourceError when refused."""
    path = Path(path)
    limits = limits or Limits()
    if not path.exists():
        raise SourceError(f"'{path.name}' was not found.", name=path.name)
    if path.is_dir():
        return _open_folder(path, limits)
    suffix = path.suffix.lower()
    check_file_size(path, limits)
    if suffix in _EXCEL_SUFFIXES:
        return _open_workbook(path, limits)
    if suffix == ".csv":
        return _open_single_csv(path, limits)
    if suffix == ".zip":
        return _open_zip(path, limits)
    if suffix in _UNSUPPORTED_SUFFIXES:
        raise SourceError(
            f"'{path.name}' is {_UNSUPPORTED_SUFFIXES[suffix]}; open it in Excel and save it as "
            "an .xlsx workbook.",
            name=path.name,
        )
    raise SourceError(
        f"'{path.name}' is not a file type Annex A can be read from: upload an .xlsx workbook, "
        "a .csv file, or a .zip of .csv files.",
        name=path.name,
    )


def _note(severity: Severity, sheet: str | None, message: str) -> Problem:
    """A problem with a whole file or sheet rather than a row."""
    return Problem(severity, sheet, None, None, None, message)


def _missing_lists(found: dict[int, str], where: str) -> list[Problem]:
    return [
        _note(
            "warning",
            None,
            f"{spec.label} is missing: no {where} named like 'List {spec.number}' was found.",
        )
        for spec in LISTS
        if spec.number not in found
    ]


# --- workbook -------------------------------------------------------------------------------


def _open_workbook(path: Path, limits: Limits) -> Source:
    name = path.name
    kind = sniff_kind(path)
    if kind == "ole":
        raise SourceError(
            f"'{name}' is not a standard .xlsx workbook: it is password-protected, or an old "
            ".xls file renamed. Remove the password (or save it as .xlsx) and upload it again.",
            name=name,
        )
    if kind != "zip":
        raise SourceError(
            f"'{name}' is named .xlsx but is not an Excel workbook (an .xlsx file is a zip "
            "archive and this is not; it may be a CSV or web page renamed). Open it in Excel "
            "and save it as .xlsx.",
            name=name,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip_archive(archive, name, limits)
            verify_declared_sizes(path, archive, name)
    except zipfile.BadZipFile:
        raise SourceError(
            f"'{name}' is damaged and cannot be opened as a workbook.", name=name
        ) from None

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise SourceError(
            f"'{name}' is password-protected; remove the password.", name=name
        ) from None
    except CalamineError as error:
        raise SourceError(
            f"'{name}' could not be opened as a workbook: {error}.", name=name
        ) from error

    problems: list[Problem] = []
    chosen: dict[int, str] = {}
    hidden = {
        sheet.name
        for sheet in workbook.sheets_metadata
        if sheet.visible != SheetVisibleEnum.Visible
    }
    found: list[tuple[str, ListSpec, list[Problem]]] = []
    for sheet_name in workbook.sheet_names:
        spec = find_list_for_sheet(sheet_name)
        if spec is None:
            problems.append(
                _note(
                    "warning",
                    sheet_name,
                    f"Sheet '{sheet_name}' is not named like an Annex A list ('List 1' to "
                    "'List 11'), so it was ignored.",
                )
            )
            continue
        if spec.number in chosen:
            problems.append(
                _note(
                    "warning",
                    sheet_name,
                    f"Sheet '{sheet_name}' also looks like {spec.label}; only sheet "
                    f"'{chosen[spec.number]}' was read.",
                )
            )
            continue
        chosen[spec.number] = sheet_name
        notes = []
        if sheet_name in hidden:
            notes.append(
                _note(
                    "warning",
                    sheet_name,
                    "This sheet is hidden in Excel; it was read anyway.",
                )
            )
        found.append((sheet_name, spec, notes))
    problems.extend(_missing_lists(chosen, "sheet"))
    # Each sheet's headings from its first rows, before any sheet is read whole.
    heads = first_rows(path, list(chosen.values()), limits.header_search_rows)
    entries = []
    for sheet_name, spec, notes in found:
        entry = _Entry(
            sheet_name, spec, _workbook_sheet_builder(workbook, sheet_name, spec, limits, notes)
        )
        if sheet_name in heads:
            first = SheetReader(sheet_name, spec, iter(heads[sheet_name]), limits, problems=notes)
            if not first.usable:
                # No usable header row in its first rows: the sheet is that and no more, and
                # calamine, which would read all of it into memory first, is never asked.
                entry.build, entry.unusable = (lambda first=first: first), first
        entries.append(entry)
    entries.sort(key=lambda entry: entry.spec.number)
    return Source(path, "xlsx", problems, entries, [workbook.close])


def _workbook_sheet_builder(
    workbook: CalamineWorkbook,
    sheet_name: str,
    spec: ListSpec,
    limits: Limits,
    notes: list[Problem],
) -> Callable[[], SheetReader]:
    def build() -> SheetReader:
        try:
            sheet = _load_sheet(workbook, sheet_name)
        except CalamineError as error:
            failure = _note("error", sheet_name, f"The sheet could not be read: {error}.")
            return SheetReader(sheet_name, spec, None, limits, problems=[*notes, failure])
        start = sheet.start
        return SheetReader(
            sheet_name,
            spec,
            _calamine_rows(sheet, start),
            limits,
            problems=notes,
            column_offset=start[1] if start else 0,
        )

    return build


def _load_sheet(workbook: CalamineWorkbook, sheet_name: str) -> object:
    """The whole sheet, in memory (python-calamine 0.9 reads no other way)."""
    return workbook.get_sheet_by_name(sheet_name)


def _calamine_rows(sheet: object, start: tuple[int, int] | None) -> RawRows:
    # python-calamine 0.9 pads iter_rows() with the blank rows above the data (but drops blank
    # columns to its left). Should a version stop padding, the first row would be the first
    # non-blank one, and row numbers must then start from `start`.
    first_data_row = start[0] if start else 0
    offset = 0
    for index, cells in enumerate(sheet.iter_rows()):  # type: ignore[attr-defined]
        if index == 0 and first_data_row > 0 and not blank_row(cells):
            offset = first_data_row
        yield index + 1 + offset, cells


# --- CSV files --------------------------------------------------------------------------------


@dataclass
class _CsvFile:
    name: str
    opener: BinaryOpener
    _encoding: str | None = None

    @property
    def encoding(self) -> str:
        if self._encoding is None:
            self._encoding = detect_encoding(self.opener)
        return self._encoding

    def is_really_zip(self) -> bool:
        with self.opener() as handle:
            return handle.read(4) == b"PK\x03\x04"


def _csv_sheet(
    csv_file: _CsvFile, spec: ListSpec, limits: Limits, notes: list[Problem]
) -> SheetReader:
    if csv_file.is_really_zip():
        failure = _note(
            "error",
            csv_file.name,
            "This file is named .csv but is an Excel workbook or zip; upload it as .xlsx.",
        )
        return SheetReader(csv_file.name, spec, None, limits, problems=[*notes, failure])
    problems = list(notes)
    warning = encoding_warning(csv_file.encoding)
    if warning:
        problems.append(_note("warning", csv_file.name, warning))
    return SheetReader(
        csv_file.name,
        spec,
        csv_rows(csv_file.opener, csv_file.encoding),
        limits,
        problems=problems,
    )


def _guess_list(csv_file: _CsvFile, limits: Limits) -> tuple[ListSpec | None, list[Problem]]:
    spec = find_list_for_sheet(Path(csv_file.name).stem)
    if spec is not None:
        return spec, []
    if csv_file.is_really_zip():
        return None, []
    # The name does not say; the headings usually do, as most lists have telling columns.
    rows = csv_rows(csv_file.opener, csv_file.encoding)
    heads: list[Sequence[object]] = []
    try:
        for number, cells in rows:
            if number > limits.header_search_rows:
                break
            heads.append(cells)
    except READ_ERRORS:
        pass  # the sheet reader reports it properly when the file is read
    finally:
        rows.close()
    scored = sorted(
        (
            (len(match.indices), candidate.number, candidate)
            for candidate in LISTS
            for cells in heads
            if (match := match_headers(candidate, cells)).ok
        ),
        key=lambda item: (-item[0], item[1]),
    )
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None, []
    guessed = scored[0][2]
    return guessed, [
        _note(
            "warning",
            csv_file.name,
            f"The file name does not say which list this is (e.g. 'List {guessed.number}.csv'); "
            f"its headings match {guessed.label}, so it was read as that.",
        )
    ]


def _open_single_csv(path: Path, limits: Limits) -> Source:
    csv_file = _CsvFile(path.name, lambda: path.open("rb"))
    spec, notes = _guess_list(csv_file, limits)
    if spec is None:
        raise SourceError(
            f"Could not tell which Annex A list '{path.name}' holds. Name it like "
            "'List 3.csv' (or 'List 3 - Referrals.csv') and upload it again.",
            name=path.name,
        )
    entry = _Entry(path.name, spec, lambda: _csv_sheet(csv_file, spec, limits, notes))
    return Source(path, "csv", [], [entry])


def _csv_source(
    path: Path,
    kind: str,
    files: list[_CsvFile],
    ignored: list[str],
    limits: Limits,
    closers: list[Callable[[], None]],
) -> Source:
    where = "file" if kind == "folder" else "file in the zip"
    problems = [
        _note("warning", name, f"'{name}' is not a .csv file, so it was ignored.")
        for name in ignored
    ]
    chosen: dict[int, str] = {}
    entries: list[_Entry] = []
    for csv_file in files:
        spec, notes = _guess_list(csv_file, limits)
        if spec is None:
            problems.append(
                _note(
                    "warning",
                    csv_file.name,
                    f"Could not tell which list '{csv_file.name}' holds (name it like "
                    "'List 3.csv'), so it was ignored.",
                )
            )
            continue
        if spec.number in chosen:
            problems.append(
                _note(
                    "warning",
                    csv_file.name,
                    f"'{csv_file.name}' also looks like {spec.label}; only '{chosen[spec.number]}' "
                    "was read.",
                )
            )
            continue
        chosen[spec.number] = csv_file.name
        entries.append(
            _Entry(
                csv_file.name,
                spec,
                lambda csv_file=csv_file, spec=spec, notes=notes: _csv_sheet(
                    csv_file, spec, limits, notes
                ),
            )
        )
    problems.extend(_missing_lists(chosen, where))
    entries.sort(key=lambda entry: entry.spec.number)
    return Source(path, kind, problems, entries, closers)


def _skip_name(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    # Finder and Excel litter: resource forks, lock files, hidden files.
    return name.startswith("__MACOSX/") or base.startswith((".", "~$")) or not base


def _open_folder(path: Path, limits: Limits) -> Source:
    files = sorted(child for child in path.iterdir() if child.is_file())
    files = [child for child in files if not _skip_name(child.name)]
    csv_paths = [child for child in files if child.suffix.lower() == ".csv"]
    ignored = [child.name for child in files if child.suffix.lower() != ".csv"]
    if not csv_paths:
        raise SourceError(f"The folder '{path.name}' has no .csv files in it.", name=path.name)
    total = sum(check_file_size(child, limits) for child in csv_paths)
    if total > limits.max_uncompressed_bytes:
        raise SourceError(
            f"The CSV files in '{path.name}' add up to {describe_bytes(total)}, over the "
            f"{describe_bytes(limits.max_uncompressed_bytes)} limit.",
            name=path.name,
        )
    csv_files = [_CsvFile(child.name, lambda child=child: child.open("rb")) for child in csv_paths]
    return _csv_source(path, "folder", csv_files, ignored, limits, [])


def _open_zip(path: Path, limits: Limits) -> Source:
    name = path.name
    if sniff_kind(path) != "zip":
        raise SourceError(f"'{name}' is named .zip but is not a zip archive.", name=name)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise SourceError(f"'{name}' is damaged and cannot be opened.", name=name) from None
    try:
        check_zip_archive(archive, name, limits)
        members = [
            member
            for member in archive.infolist()
            if not member.is_dir() and not _skip_name(member.filename)
        ]
        if any(member.flag_bits & 0x1 for member in members):
            raise SourceError(
                f"'{name}' is password-protected; zip it again without a password.", name=name
            )
    except SourceError:
        archive.close()
        raise
    csv_members = [member for member in members if member.filename.lower().endswith(".csv")]
    ignored = [member.filename for member in members if member not in csv_members]
    if not csv_members:
        archive.close()
        raise SourceError(f"'{name}' has no .csv files in it.", name=name)
    csv_files = [
        # Python caps what it unpacks at each member's declared size and checks its CRC.
        _CsvFile(member.filename.rsplit("/", 1)[-1], lambda member=member: archive.open(member))  # type: ignore[misc]
        for member in csv_members
    ]
    return _csv_source(path, "zip", csv_files, ignored, limits, [archive.close])
