from caseaudit.core.grades import ORDER, Grade, movement
from caseaudit.core.suppression import SUPPRESSED, suppress_count, suppress_table


def test_grades_are_in_the_ofsted_order_and_words():
    assert [g.label for g in ORDER] == ["Outstanding", "Good", "Requires Improvement", "Inadequate"]
    assert [g.rank for g in ORDER] == [1, 2, 3, 4]
    assert movement(Grade.INADEQUATE, Grade.GOOD) == 2
    assert movement(Grade.GOOD, Grade.REQUIRES_IMPROVEMENT) == -1


def test_grade_colours_differ_in_lightness_for_greyscale():
    def luminance(hex_colour: str) -> float:
        r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    levels = sorted(luminance(g.colour) for g in ORDER)
    assert all(b - a > 0.08 for a, b in zip(levels, levels[1:], strict=False))


def test_counts_from_one_to_five_are_suppressed_and_zero_is_not():
    assert [suppress_count(n) for n in (0, 1, 5, 6)] == [0, SUPPRESSED, SUPPRESSED, 6]


def test_a_lone_suppressed_cell_takes_a_neighbour_with_it():
    # With totals published, a single hidden 3 could be worked out from its row total.
    table = suppress_table([[3, 10, 20], [12, 14, 30]])
    assert table[0][0] == SUPPRESSED
    assert table[0][1] == SUPPRESSED  # the smallest other cell in that row
    # ...and the columns those two sit in are then protected too.
    for column in (0, 1):
        assert sum(1 for row in table if row[column] == SUPPRESSED) != 1


def test_a_table_with_nothing_small_is_unchanged():
    assert suppress_table([[6, 7], [8, 0]]) == [[6, 7], [8, 0]]
