"""Small-number suppression: the published table must not let a reader, working from its
totals and knowing every ``c`` is at least 1, pin a hidden figure or tell that it is small."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from caseaudit.core.suppression import (
    SUPPRESSED,
    THRESHOLD,
    Published,
    disclosures,
    feasible_ranges,
    hidden_figures,
    suppress_breakdowns,
    suppress_columns,
    suppress_count,
    suppress_table,
)

C = SUPPRESSED

# Mostly the small numbers suppression is about, with some zeros and some larger counts.
counts = st.one_of(
    st.integers(0, 8), st.integers(0, 8), st.integers(0, 8), st.just(0), st.integers(9, 60)
)


@st.composite
def tables(draw, max_rows=6, max_columns=6):
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(1, max_columns))
    return [[draw(counts) for _ in range(columns)] for _ in range(rows)]


@st.composite
def breakdowns(draw):
    """Two tables that break the same council figures down differently: the second moves
    counts between the first's rows (as areas and services cut the same audits)."""
    first = draw(tables(max_rows=4, max_columns=4))
    columns = list(zip(*first, strict=True))
    rows = draw(st.integers(1, 4))
    second = [[0] * len(columns) for _ in range(rows)]
    for c, column in enumerate(columns):
        for value in column:
            for _ in range(value):
                second[draw(st.integers(0, rows - 1))][c] += 1
    return [first, second]


def assert_true_where_shown(table: list[list[int]], published: Published, rows_add_up=True):
    column_totals = [sum(column) for column in zip(*table, strict=True)]
    shown = [
        *zip(sum(table, []), sum(published.cells, []), strict=True),
        *zip(column_totals, published.column_totals, strict=True),
    ]
    if rows_add_up:
        shown += [*zip(map(sum, table), published.row_totals, strict=True)]
        shown += [(sum(column_totals), published.grand_total)]
    for true, figure in shown:
        if figure == C:
            assert true > 0  # a c is never a 0...
        else:
            assert figure == true  # ...and a shown figure is the true one,
            assert not 0 < figure <= THRESHOLD  # never a small one.


def assert_nothing_given_away(*published: Published):
    ranges = feasible_ranges(*published)
    for low, high in ranges.values():
        assert low < high  # not pinned to one value
        assert high > THRESHOLD  # nor known to be small
    assert disclosures(*published) == []


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_hidden_figure_can_be_worked_out_from_the_totals(table):
    published = suppress_table(table)
    assert_true_where_shown(table, published)
    assert_nothing_given_away(published)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_nor_from_column_totals_alone(table):
    published = suppress_columns(table)
    assert published.row_totals is None and published.grand_total is None
    assert_true_where_shown(table, published, rows_add_up=False)
    assert_nothing_given_away(published)


@settings(max_examples=150, deadline=None)
@given(breakdowns())
def test_nor_by_playing_two_breakdowns_of_the_same_figures_off_each_other(tables):
    published = suppress_breakdowns(tables)
    assert published[0].column_totals == published[1].column_totals
    assert published[0].grand_total == published[1].grand_total
    for table, shown in zip(tables, published, strict=True):
        assert_true_where_shown(table, shown)
    assert_nothing_given_away(*published)


@settings(max_examples=100, deadline=None)
@given(tables(max_rows=4, max_columns=4), st.data())
def test_a_row_in_two_breakdowns_is_hidden_alike_in_both(first, data):
    # The second breakdown has one of the first's rows as it is, and the rest in one row.
    kept = data.draw(st.integers(0, len(first) - 1))
    rest = [sum(row[c] for i, row in enumerate(first) if i != kept) for c in range(len(first[0]))]
    published = suppress_breakdowns([first, [first[kept], rest]])
    assert published[0].cells[kept] == published[1].cells[0]
    assert published[0].row_totals[kept] == published[1].row_totals[0]
    assert_nothing_given_away(*published)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=6))
def test_nor_from_knowing_completed_is_at_most_allocated(pairs):
    table = [[max(a, b), min(a, b)] for a, b in pairs]  # allocated, completed
    at_most = [(("column", 1), ("column", 0))]
    at_most += [(("cell", 0, r, 1), ("cell", 0, r, 0)) for r in range(len(table))]
    (published,) = suppress_breakdowns([table], rows_add_up=False, at_most=at_most)
    assert_true_where_shown(table, published, rows_add_up=False)
    assert disclosures(published, at_most=at_most) == []


def test_completed_at_most_allocated_can_pin_a_hidden_figure():
    # 12 completed between two areas that each had 6 allocated: each completed is 6.
    published = Published([[6, C], [6, C]], None, [12, 12], None)
    at_most = [(("cell", 0, r, 1), ("cell", 0, r, 0)) for r in range(2)]
    assert feasible_ranges(published)[("cell", 0, 0, 1)] == (1, 11)
    assert feasible_ranges(published, at_most=at_most)[("cell", 0, 0, 1)] == (6, 6)


def test_counts_from_one_to_five_are_suppressed_and_zero_is_not():
    assert [suppress_count(n) for n in (0, 1, 5, 6)] == [0, C, C, 6]


def test_three_services_with_one_each_and_a_council_total_of_three():
    # Issue 12: shown as c, c, c, 0… with a council total of 3, each c was worked out as 1.
    published = suppress_table([[1], [1], [1], [0], [0]])
    assert [row[0] for row in published.cells] == [C, C, C, 0, 0]
    assert published.column_totals == [C]
    assert_nothing_given_away(published)


def test_the_old_rule_is_caught_by_the_reader():
    # What the old rule published for the case: the reader pins every c to 1.
    old = Published([[C], [C], [C], [0]], [C, C, C, 0], [3], 3)
    assert feasible_ranges(old)[("cell", 0, 0, 0)] == (1, 1)
    assert disclosures(old)


def test_a_lone_suppressed_cell_takes_a_neighbour_with_it():
    # With totals published, a single hidden 3 could be worked out from its row total; the
    # smallest cells beside it go with it, in its row and in the columns they then open.
    published = suppress_table([[3, 10, 20], [12, 14, 30]])
    assert published.cells == [[C, C, 20], [C, C, 30]]
    assert published.row_totals == [33, 56]
    assert published.column_totals == [15, 24, 50]
    assert_nothing_given_away(published)


def test_two_small_cells_are_not_enough_when_their_line_adds_up_to_five_or_less():
    # 2 + 3 = 5 beside 40: the reader would know both are small, so more is hidden.
    published = suppress_table([[2, 3, 40], [20, 30, 9]])
    assert published.cells[0][:2] == [C, C]
    assert_nothing_given_away(published)


def test_a_table_of_one_row():
    published = suppress_table([[3, 0, 7, 9]])
    assert published.cells == [[C, 0, C, 9]]
    # Each column total is its one cell, so it goes with it.
    assert published.column_totals == [C, 0, C, 9]
    assert published.row_totals == [19]
    assert feasible_ranges(published)[("cell", 0, 0, 0)] == (1, 9)


def test_a_table_with_nothing_small_is_unchanged():
    published = suppress_table([[6, 7], [8, 0]])
    assert published.cells == [[6, 7], [8, 0]]
    assert published.row_totals == [13, 8]
    assert published.column_totals == [14, 7]
    assert published.grand_total == 21


def test_the_reader_knows_no_upper_bound_where_everything_is_hidden():
    ranges = feasible_ranges(Published([[C, 0]], [C], [C, 0], C))
    assert ranges[("cell", 0, 0, 0)] == (1, math.inf)


def test_figures_another_table_hides_are_hidden_whatever_their_size_but_never_a_zero():
    hide = [("cell", 0, 0, 0), ("cell", 0, 0, 1)]
    (published,) = suppress_breakdowns([[[40, 0, 12], [30, 9, 11]]], hide=hide)
    assert published.cells[0][:2] == [C, 0]
    assert hidden_figures(published) >= {("cell", 0, 0, 0)}
    assert_nothing_given_away(published)
