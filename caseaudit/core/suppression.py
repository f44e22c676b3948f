"""Small-number suppression for figures meant for wide circulation, as the DfE does in its
children's social care statistics.

What a ``c`` tells the reader. Counts from 1 to 5 are shown as ``c`` (primary suppression);
0 is shown as 0. Some larger counts are hidden as well (secondary suppression), and so are
totals where nothing else will do; they show as the same ``c``. Secondary suppression only
ever hides counts of at least 1, so a ``c`` tells the reader exactly this: "at least 1". It
does not tell them "at most 5", because a secondary ``c`` looks the same as a primary one.

The protection rule. A reader who knows that every ``c`` is at least 1, and who works from
every row total, column total and grand total published beside the table (interval
reasoning: a hidden figure is its line's total less what the others in the line can be, at
most and at least, over and over until nothing narrows), must not be able to

- pin any hidden figure to a single value, or
- confine a hidden small count (1 to 5) to 1 to 5, that is, tell that it is small.

``feasible_ranges`` is that reader; ``disclosures`` lists what they would learn. The
suppression routine hides counts from 1 to 5, then, while the reader can learn something,
hides the smallest other figure in a line that gives it away: a count in the table before a
total, a row total before the council's own figures. It stops only when the reader learns
nothing, which it always reaches: with every non-zero figure hidden, the reader knows no
upper bound at all.

Tables that break the same council figures down in different ways (by area, by service, by
cohort) share their council totals; ``suppress_breakdowns`` suppresses them together, so a
council figure hidden in one is hidden in all, and the reader may combine them. A row that
appears in two of them (the same counts) is hidden alike in both.

The reader also uses what the caller says one figure is at most (completed, at most
allocated), and what the caller says rows of different tables add up to (``adds_up``: a
council's teams nest in its areas, so an area's figure is its teams' figures added up).
What they do not use: inequalities between tables suppressed apart (the caller links such
pairs with ``hide``), and reasoning stronger than intervals (linear programming over the
whole table): the rule is about what interval reasoning can recover, as issue 12 asks.

The internal edition. A report for the QA service and its managers shows every figure as
counted; it is built inside ``unsuppressed()``, where every function here hides nothing, so
the same code builds both editions and they differ only in what is hidden.
"""

import contextvars
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

SUPPRESSED = "c"
THRESHOLD = 5

Cell = int | str
# Where a figure sits: ("cell", table, row, column), ("row", table, row), ("column", column)
# or ("grand",). Council figures (column totals and the grand total) are shared by the
# breakdowns suppressed together, so they carry no table.
Key = tuple
# The order secondary suppression hides things in: counts in the table first, then row
# totals, and the council's own figures last, since they are what the report is about.
_HIDE_FIRST = {"cell": 0, "row": 1, "column": 2, "grand": 3}


@dataclass(frozen=True)
class Published:
    """A table as published: its counts, its row totals (None where a row's figures do not
    add up, as allocated and completed do not), its column totals (the council's figures) and
    its grand total (None without row totals). Any of them may be ``SUPPRESSED``."""

    cells: list[list[Cell]]
    row_totals: list[Cell] | None
    column_totals: list[Cell]
    grand_total: Cell | None


_SUPPRESSING = contextvars.ContextVar("suppressing", default=True)


@contextmanager
def unsuppressed():
    """Within it nothing is hidden: the internal edition (see the module's docstring)."""
    token = _SUPPRESSING.set(False)
    try:
        yield
    finally:
        _SUPPRESSING.reset(token)


def suppressing() -> bool:
    return _SUPPRESSING.get()


def suppress_count(value: int) -> int | str:
    if not suppressing():
        return value
    return SUPPRESSED if 0 < value <= THRESHOLD else value


def suppress_table(
    rows: Sequence[Sequence[int]], *, rows_add_up: bool = True, columns: int | None = None
) -> Published:
    """Suppress a table published with its column totals, and with its row totals and grand
    total when ``rows_add_up``."""
    return suppress_breakdowns([rows], rows_add_up=rows_add_up, columns=columns)[0]


def suppress_columns(counts: Sequence[Sequence[int]], *, columns: int | None = None) -> Published:
    """A table whose figures add up down each column (to the council's figure) but not along a
    row, as allocated and completed do not: no row totals are published."""
    return suppress_table(counts, rows_add_up=False, columns=columns)


def suppress_breakdowns(
    tables: Sequence[Sequence[Sequence[int]]],
    *,
    rows_add_up: bool = True,
    columns: int | None = None,
    hide: Collection[Key] = (),
    at_most: Collection[tuple[Key, Key]] = (),
    adds_up: Collection[tuple[Key, Sequence[Key]]] = (),
) -> list[Published]:
    """Suppress tables that break the same council figures down in different ways, so that
    they agree on which council figures are hidden and cannot be played off each other.
    ``columns`` gives the width where there may be no rows at all; ``hide``, figures to hide
    whatever their size because another table hides a figure they would bound (a 0 is
    still shown: it bounds nothing); ``at_most``, pairs of figures the reader knows to be no
    more than the other (completed, allocated); ``adds_up``, figures the reader knows to be
    the sum of others in other tables (an area's, its teams'): the caller checks that they
    are."""
    width = _width(tables, columns)
    counts = [[list(row) for row in table] for table in tables]
    column_totals = [sum(row[c] for row in counts[0]) for c in range(width)] if counts else []
    for table in counts[1:]:
        if [sum(row[c] for row in table) for c in range(width)] != column_totals:
            raise ValueError("Breakdowns of the same figures must add up to the same totals.")
    true = _figures(counts, column_totals, rows_add_up)
    if not suppressing():
        return _publish(counts, true, set(), width, rows_add_up)
    hidden = {key for key, value in true.items() if 0 < value <= THRESHOLD}
    hidden |= {key for key in hide if true[key] > 0}
    equations = _equations(counts, width, rows_add_up) + [(t, list(m)) for t, m in adds_up]
    while True:
        published = _publish(counts, true, hidden, width, rows_add_up)
        found = disclosures(*published, at_most=at_most, adds_up=adds_up)
        if found:
            hidden.add(_next_to_hide(set(found), equations, at_most, true, hidden))
            continue
        alike = _hidden_alike(counts, hidden, rows_add_up)
        if alike <= hidden:
            return published
        hidden |= alike


def _hidden_alike(counts, hidden, rows_add_up) -> set[Key]:
    """Rows with the same counts are hidden alike: the same row often appears in two
    breakdowns (the one service that is the whole council, a month that is a cohort), and
    a figure hidden in one must not be printed in the other."""
    rows: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for t, table in enumerate(counts):
        for r, row in enumerate(table):
            rows[tuple(row)].append((t, r))
    alike: set[Key] = set()
    for places in rows.values():
        columns = {key[3] for t, r in places for key in hidden if key[:3] == ("cell", t, r)}
        total = rows_add_up and any(("row", t, r) in hidden for t, r in places)
        for t, r in places:
            alike.update(("cell", t, r, c) for c in columns)
            if total:
                alike.add(("row", t, r))
    return alike


def _next_to_hide(found, equations, at_most, true, hidden) -> Key:
    """The figure secondary suppression hides next: in a line that gives something away, with
    as few hidden figures as possible (a line with one is what pins a figure), the smallest
    shown figure that is not 0, counts before totals."""

    def order(key):
        return (_HIDE_FIRST[key[0]], true[key], key)

    lines = [(total, *members) for total, members in equations] + [tuple(p) for p in at_most]
    giving_away = [line for line in lines if found.intersection(line)]
    for line in sorted(giving_away, key=lambda line: sum(key in hidden for key in line)):
        candidates = [key for key in line if key not in hidden and true[key] > 0]
        if candidates:
            return min(candidates, key=order)
    return min((key for key in true if key not in hidden and true[key] > 0), key=order)


def feasible_ranges(
    *tables: Published,
    at_most: Collection[tuple[Key, Key]] = (),
    adds_up: Collection[tuple[Key, Sequence[Key]]] = (),
) -> dict[Key, tuple[int, float]]:
    """What a reader can work out about each hidden figure in ``tables`` (which share their
    council figures) from what is published: the tightest range interval reasoning gives,
    knowing only that a ``c`` is at least 1, and that in each ``at_most`` pair the first is
    no more than the second, and that each ``adds_up`` figure is the sum of its members. The
    upper end may be ``math.inf``."""
    width = len(tables[0].column_totals)
    values = _published_figures(tables)
    shape = [[[0] * len(row) for row in table.cells] for table in tables]
    rows_add_up = tables[0].row_totals is not None
    bounds: dict[Key, tuple[float, float]] = {
        key: (1, math.inf) if value == SUPPRESSED else (value, value)
        for key, value in values.items()
    }
    equations = _equations(shape, width, rows_add_up) + [(t, list(m)) for t, m in adds_up]
    narrowed = True
    while narrowed:
        narrowed = False
        for total, members in equations:
            lows = [bounds[m][0] for m in members]
            highs = [bounds[m][1] for m in members]
            low_sum = sum(lows)
            narrowed |= _narrow(bounds, total, low_sum, sum(highs))
            total_low, total_high = bounds[total]
            # What the others in the line can be, worked out once a line rather than once a
            # member (the order the line is narrowed in does not change where it ends).
            unbounded = sum(high == math.inf for high in highs)
            finite_high = sum(high for high in highs if high != math.inf)
            for member, low, high in zip(members, lows, highs, strict=True):
                if high == math.inf:
                    others_high = math.inf if unbounded > 1 else finite_high
                else:
                    others_high = math.inf if unbounded else finite_high - high
                narrowed |= _narrow(
                    bounds, member, total_low - others_high, total_high - (low_sum - low)
                )
        for smaller, larger in at_most:
            narrowed |= _narrow(bounds, smaller, -math.inf, bounds[larger][1])
            narrowed |= _narrow(bounds, larger, bounds[smaller][0], math.inf)
    return {key: bounds[key] for key, value in values.items() if value == SUPPRESSED}


def hidden_figures(*tables: Published) -> set[Key]:
    """Where ``tables`` (suppressed together) show ``c``."""
    return {key for key, value in _published_figures(tables).items() if value == SUPPRESSED}


def disclosures(
    *tables: Published,
    at_most: Collection[tuple[Key, Key]] = (),
    adds_up: Collection[tuple[Key, Sequence[Key]]] = (),
) -> list[Key]:
    """The hidden figures a reader can pin to one value, or tell are from 1 to 5."""
    ranges = feasible_ranges(*tables, at_most=at_most, adds_up=adds_up)
    return sorted(
        (key for key, (low, high) in ranges.items() if low == high or high <= THRESHOLD),
        key=lambda k: (_HIDE_FIRST[k[0]], k),
    )


def _narrow(bounds, key, low, high) -> bool:
    old_low, old_high = bounds[key]
    new = (max(old_low, low), min(old_high, high))
    if new == (old_low, old_high):
        return False
    bounds[key] = new
    return True


def _width(tables, columns: int | None) -> int:
    widths = {len(row) for table in tables for row in table}
    if columns is not None:
        widths.add(columns)
    if len(widths) > 1:
        raise ValueError("Every row of every table must have the same number of cells.")
    return widths.pop() if widths else 0


def _figures(counts, column_totals, rows_add_up) -> dict[Key, int]:
    figures: dict[Key, int] = {}
    for t, table in enumerate(counts):
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                figures[("cell", t, r, c)] = value
            if rows_add_up:
                figures[("row", t, r)] = sum(row)
    for c, value in enumerate(column_totals):
        figures[("column", c)] = value
    if rows_add_up:
        figures[("grand",)] = sum(column_totals)
    return figures


def _published_figures(tables: Sequence[Published]) -> dict[Key, Cell]:
    figures: dict[Key, Cell] = {}
    for t, table in enumerate(tables):
        for r, row in enumerate(table.cells):
            for c, value in enumerate(row):
                figures[("cell", t, r, c)] = value
            if table.row_totals is not None:
                figures[("row", t, r)] = table.row_totals[r]
    first = tables[0]
    for c, value in enumerate(first.column_totals):
        figures[("column", c)] = value
    if first.grand_total is not None:
        figures[("grand",)] = first.grand_total
    return figures


def _equations(counts, width, rows_add_up) -> list[tuple[Key, list[Key]]]:
    """Each published total and the figures it adds up."""
    equations: list[tuple[Key, list[Key]]] = []
    for t, table in enumerate(counts):
        for c in range(width):
            equations.append((("column", c), [("cell", t, r, c) for r in range(len(table))]))
        if rows_add_up:
            for r in range(len(table)):
                equations.append((("row", t, r), [("cell", t, r, c) for c in range(width)]))
            equations.append((("grand",), [("row", t, r) for r in range(len(table))]))
    if rows_add_up:
        equations.append((("grand",), [("column", c) for c in range(width)]))
    return equations


def _publish(counts, true, hidden, width, rows_add_up) -> list[Published]:
    def shown(key):
        return SUPPRESSED if key in hidden else true[key]

    column_totals = [shown(("column", c)) for c in range(width)]
    grand_total = shown(("grand",)) if rows_add_up else None
    return [
        Published(
            cells=[[shown(("cell", t, r, c)) for c in range(width)] for r in range(len(table))],
            row_totals=[shown(("row", t, r)) for r in range(len(table))] if rows_add_up else None,
            column_totals=column_totals,
            grand_total=grand_total,
        )
        for t, table in enumerate(counts)
    ]
