"""Ofsted Annex A reader: code lists, list schemas, value parsers and a defensive file reader.

Pure Python (no Django), so it can be tested and reused without a database. See reader.py for
how to read a return, and codes.py for the canonical codes stored.
"""

from .codes import CODE_LISTS, CodeError, label_for, parse_code
from .problems import Problem, SourceError
from .reader import Row, SheetReader, Source, iter_rows, open_source
from .safety import Limits
from .schema import (
    LISTS,
    LISTS_BY_KEY,
    LISTS_BY_NUMBER,
    ColumnSpec,
    HeaderMatch,
    ListSpec,
    find_list_for_sheet,
    match_headers,
    normalise_header,
)
from .values import ValueProblem

__all__ = [
    "CODE_LISTS",
    "LISTS",
    "LISTS_BY_KEY",
    "LISTS_BY_NUMBER",
    "CodeError",
    "ColumnSpec",
    "HeaderMatch",
    "Limits",
    "ListSpec",
    "Problem",
    "Row",
    "SheetReader",
    "Source",
    "SourceError",
    "ValueProblem",
    "find_list_for_sheet",
    "iter_rows",
    "label_for",
    "match_headers",
    "normalise_header",
    "open_source",
    "parse_code",
]
