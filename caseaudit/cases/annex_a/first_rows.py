"""The first rows of a workbook's sheets, read from the sheets' XML without loading them.

python-calamine (0.9) has no lazy read: asking for a sheet reads all of it into memory, and a
118 MB workbook's sheet took 1.6 GB before its headings could be checked and found wrong. So
the reader looks for each sheet's header row here first, in the few rows it may be in, and a
sheet whose headings are wrong is refused without its bulk ever being read.

Each sheet's XML is streamed from the zip and parsing stops after the rows asked for; the
shared strings those rows use are streamed the same way, only as far as the highest one
needed (a workbook's headings are its first strings). This is only a first look: whatever it
cannot make out (an unusual layout, a part it does not expect) it leaves to calamine, which
reads the sheet as before. The zip's safety checks have already passed when it runs.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET  # noqa: S405 - Excel's own parts, DTDs refused below # nosec B405
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["first_rows"]

Rows = list[tuple[int, list[object]]]

_CELL_REFERENCE = re.compile(r"([A-Z]+)(\d+)$")
# Excel never writes a DTD; a part that has one is not parsed here (entities can expand).
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
# Bytes of a part read ahead of the parser at a time.
_CHUNK = 64 * 1024


class _NotUnderstood(Exception):
    """A part this first look cannot read: the sheet is left to calamine."""


def first_rows(path: Path, sheet_names: Sequence[str], rows: int) -> dict[str, Rows]:
    """For each named sheet it can read: its non-empty rows up to ``rows``, and the first row
    after them if there is one, as (row number, cells). Sheets it cannot read are left out."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            found: dict[str, Rows] = {}
            for name in sheet_names:
                part = parts.get(name)
                if part is None:
                    continue
                try:
                    found[name] = list(_rows(archive, part, rows))
                except (_NotUnderstood, KeyError, ET.ParseError, ValueError):
                    continue
            return _with_shared_strings(archive, found)
    except (_NotUnderstood, KeyError, ET.ParseError, ValueError, zipfile.BadZipFile):
        return {}


# --- the workbook's parts -------------------------------------------------------------------


def _local(tag: str) -> str:
    """An element's name without its namespace (strict and transitional OOXML differ)."""
    return tag.rsplit("}", 1)[-1]


def _elements(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) from a part, streamed: what has been read is never more than a chunk
    or so beyond where the caller stops."""
    parser = ET.XMLPullParser(events=("start", "end"))
    with archive.open(member) as handle:
        prolog = True
        while chunk := handle.read(_CHUNK):
            if prolog:
                if any(marker in chunk for marker in _DTD):
                    raise _NotUnderstood(member)
                prolog = False
            parser.feed(chunk)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the zip member holding its XML."""
    targets = {}
    for _event, element in _elements(archive, "xl/_rels/workbook.xml.rels"):
        if _local(element.tag) == "Relationship":
            targets[element.get("Id")] = element.get("Target", "")
    parts = {}
    for event, element in _elements(archive, "xl/workbook.xml"):
        if event != "end" or _local(element.tag) != "sheet":
            continue
        relation = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        target = targets.get(relation)
        if target:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            parts[element.get("name")] = posixpath.normpath(member)
    return parts


# --- a sheet's first rows -------------------------------------------------------------------


def _column(reference: str | None, position: int) -> int:
    if reference is None:
        return position
    match = _CELL_REFERENCE.match(reference)
    if match is None:
        raise _NotUnderstood(reference)
    index = 0
    for letter in match.group(1):
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _text(element: ET.Element) -> str:
    """The text of a string item or inline string: its <t>, or its runs' <t>s, never the
    phonetic guide (<rPh>) Japanese workbooks add, as Excel shows it."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


class _SharedString(int):
    """A cell's index into the shared strings, until the strings are looked up."""


def _value(cell: ET.Element) -> object:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = next((c for c in cell if _local(c.tag) == "is"), None)
        return None if inline is None else _text(inline)
    raw = next((c.text for c in cell if _local(c.tag) == "v"), None)
    if raw is None or raw == "":
        return None
    if kind == "s":
        return _SharedString(int(raw))
    if kind in ("str", "e"):
        return raw
    if kind == "b":
        return raw == "1"
    number = float(raw)
    return int(number) if number.is_integer() else number


def _rows(archive: zipfile.ZipFile, member: str, rows: int) -> Iterator[tuple[int, list]]:
    row_number = 0
    cells: list[object] = []
    in_row = False
    for event, element in _elements(archive, member):
        name = _local(element.tag)
        if event == "start":
            if name == "row":
                in_row, cells = True, []
                row_number = int(element.get("r") or row_number + 1)
            continue
        if name == "c" and in_row:
            index = _column(element.get("r"), len(cells))
            value = _value(element)
            if value is not None and value != "":
                cells.extend([None] * (index + 1 - len(cells)))
                cells[index] = value
            element.clear()
        elif name == "row":
            in_row = False
            if any(cell is not None for cell in cells):
                yield row_number, cells
                if row_number > rows:
                    return
            element.clear()
        elif name == "sheetData":
            return


def _with_shared_strings(archive: zipfile.ZipFile, found: dict[str, Rows]) -> dict[str, Rows]:
    wanted = {
        int(cell)
        for rows in found.values()
        for _number, cells in rows
        for cell in cells
        if isinstance(cell, _SharedString)
    }
    if not wanted:
        return found
    strings = _shared_strings(archive, max(wanted))
    return {
        name: [
            (number, [strings[cell] if isinstance(cell, _SharedString) else cell for cell in cells])
            for number, cells in rows
        ]
        for name, rows in found.items()
    }


def _shared_strings(archive: zipfile.ZipFile, last: int) -> list[str]:
    """The workbook's shared strings up to index ``last``."""
    strings: list[str] = []
    for event, element in _elements(archive, "xl/sharedStrings.xml"):
        if event == "end" and _local(element.tag) == "si":
            strings.append(_text(element))
            element.clear()
            if len(strings) > last:
                return strings
    raise _NotUnderstood("a shared string the sheet uses is missing")
