from caseaudit.core.grades import ORDER, Grade, movement


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
