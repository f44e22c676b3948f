"""Small-number suppression for figures meant for wide circulation, as the DfE does in its
children's social care statistics.

Counts from 1 to 5 show as ``c``; 0 stays 0. Secondary suppression then stops a total or a
neighbouring cell giving a suppressed one away: in any row or column with exactly one
suppressed cell and a published total, the smallest other non-zero cell is suppressed too,
repeated until no row or column can be solved.
"""

from collections.abc import Sequence

SUPPRESSED = "c"
THRESHOLD = 5


def suppress_count(value: int) -> int | str:
    return SUPPRESSED if 0 < value <= THRESHOLD else value


def suppress_table(rows: Sequence[Sequence[int]]) -> list[list[int | str]]:
    """Suppress a table whose row and column totals are published beside it.

    Totals themselves are not part of ``rows``: publish ``row_totals``/``column_totals`` from
    the unsuppressed counts, which is safe once every line has 0 or at least 2 hidden cells.
    """
    table: list[list[int | str]] = [[suppress_count(v) for v in row] for row in rows]
    original = [list(row) for row in rows]

    def lines():
        for r in range(len(table)):
            yield [(r, c) for c in range(len(table[r]))]
        for c in range(max((len(row) for row in table), default=0)):
            yield [(r, c) for r in range(len(table)) if c < len(table[r])]

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden = [cell for cell in line if table[cell[0]][cell[1]] == SUPPRESSED]
            if len(hidden) != 1:
                continue
            candidates = [
                cell
                for cell in line
                if table[cell[0]][cell[1]] != SUPPRESSED and original[cell[0]][cell[1]] > 0
            ]
            if not candidates:
                continue
            r, c = min(candidates, key=lambda cell: original[cell[0]][cell[1]])
            table[r][c] = SUPPRESSED
            changed = True
    return table


def suppress_columns(counts: list[list[int]]) -> list[list]:
    """Suppress each column on its own: allocated and completed figures add up down a column
    (to the council's total) but not along a row, so only columns need secondary suppression."""
    if not counts:
        return []
    columns = [suppress_table([[row[i]] for row in counts]) for i in range(len(counts[0]))]
    return [[column[r][0] for column in columns] for r in range(len(counts))]


def guard_totals(shown: list[list], totals: list) -> list:
    """Totals of a suppressed table's columns, each hidden where its column has exactly one
    hidden cell: there secondary suppression found nothing else to hide (a breakdown with one
    row), and the total would give the hidden cell away."""
    guarded = list(totals)
    for column in range(len(totals)):
        hidden = sum(1 for row in shown if row[column] == SUPPRESSED)
        if hidden == 1:
            guarded[column] = SUPPRESSED
    return guarded


def suppress_row_total(total: int, cells: Sequence) -> int | str:
    """A row's total beside its suppressed ``cells``: hidden when it is the only thing keeping
    its row's one hidden cell unknown, or is itself a small number (1 to 5)."""
    if 0 < total <= THRESHOLD or list(cells).count(SUPPRESSED) == 1:
        return SUPPRESSED
    return total
