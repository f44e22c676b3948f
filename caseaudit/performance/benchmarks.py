"""Benchmarks: the figures a council's indicators are set beside, imported from CSV.

The CSV layout (UTF-8, headers in row 1, matched without regard to case or spaces; one row
per indicator and year; a blank cell means no figure):

    indicator,year,statistical_neighbours,region,england
    cla_rate_per_10k,2024,48,53,70
    re_referrals_12m_pct,2024,,21.4,22.4

- ``indicator``: an indicator code as ``caseaudit indicators`` prints it.
- ``year``: the year the reporting year ends in (2024 is April 2023 to March 2024).
- ``statistical_neighbours``: the median of the council's 10 statistical neighbours. Instead of
  it, the ten neighbours' own figures may be given in columns ``neighbour_1`` to
  ``neighbour_10`` (as the DfE's LAIT tool lists them), and the median of those given is kept.
- ``region`` and ``england``: the region's and England's figures.

An import (``actions.import_benchmarks``) is all or nothing: any bad row and nothing is
written, and every problem is listed by row and column. A later import replaces the figures it
gives and leaves the others.
"""

from __future__ import annotations

import csv
import datetime
import io
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from caseaudit.performance.choices import Comparator
from caseaudit.performance.indicators import INDICATORS
from caseaudit.performance.models import Benchmark

NEIGHBOURS = tuple(f"neighbour_{n}" for n in range(1, 11))
COMPARATOR_COLUMNS = {c.value: c for c in Comparator}
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class BenchmarkImport:
    written: int = 0
    problems: list[str] = field(default_factory=list)


def _header(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _number(text: str, where: str, problems: list[str]) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.1"))
    except InvalidOperation:
        problems.append(f"{where}: '{text}' is not a number")
        return None


def read_benchmarks(text: str) -> tuple[list[tuple[str, int, str, Decimal]], list[str]]:
    """(indicator, year, comparator, value) for every figure in the CSV, and the problems."""
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text))
    try:
        headers = [_header(h) for h in next(reader)]
    except StopIteration:
        return [], ["The file is empty: it needs a header row (see the layout)."]
    for required in ("indicator", "year"):
        if required not in headers:
            problems.append(f"Row 1: there is no '{required}' column")
    if problems:
        return [], problems
    figures = []
    this_year = datetime.date.today().year  # noqa: DTZ011 (a plausibility bound only)
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(headers, cells, strict=False))
        code = row.get("indicator", "").strip()
        if code not in INDICATORS:
            problems.append(f"Row {number}, column indicator: '{code}' is not an indicator code")
            continue
        year_text = row.get("year", "").strip()
        if not (year_text.isdigit() and 2000 <= int(year_text) <= this_year + 1):
            problems.append(f"Row {number}, column year: enter a year such as 2024")
            continue
        year = int(year_text)
        neighbours = [
            value
            for column in NEIGHBOURS
            if column in row
            and (value := _number(row[column], f"Row {number}, column {column}", problems))
            is not None
        ]
        for column, comparator in COMPARATOR_COLUMNS.items():
            value = _number(row.get(column, ""), f"Row {number}, column {column}", problems)
            if value is None and comparator == Comparator.STATISTICAL_NEIGHBOURS and neighbours:
                value = Decimal(statistics.median(neighbours)).quantize(Decimal("0.1"))
            if value is not None:
                figures.append((code, year, comparator.value, value))
    return figures, problems


def benchmarks_for(council, as_at: datetime.date, codes: Iterable[str]) -> dict:
    """{code: {comparator: (year, value)}}: for each indicator the latest figure of each
    comparator for a year no later than the as-at date's. One query."""
    found: dict[str, dict[str, tuple[int, Decimal]]] = {}
    rows = (
        Benchmark.objects.filter(council=council, indicator__in=list(codes), year__lte=as_at.year)
        .order_by("indicator", "comparator", "-year")
        .values_list("indicator", "comparator", "year", "value")
    )
    for code, comparator, year, value in rows:
        found.setdefault(code, {}).setdefault(comparator, (year, value))
    return found
