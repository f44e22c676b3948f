"""Month arithmetic, checked against dates written out by hand."""

import datetime

import pytest

from caseaudit.core import months

D = datetime.date


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (D(2026, 5, 31), 3, D(2026, 8, 31)),  # keeps the day when the month has it
        (D(2026, 5, 31), 1, D(2026, 6, 30)),  # moved back inside a shorter month
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # a leap year's February
        (D(2026, 1, 15), -1, D(2025, 12, 15)),  # backwards over a year end
        (D(2026, 3, 31), -216, D(2008, 3, 31)),  # eighteen years
        (D(2026, 12, 1), 1, D(2027, 1, 1)),
        (D(2026, 12, 29), 0, D(2026, 12, 29)),
    ],
)
def test_add_months(day, count, expected):
    assert months.add_months(day, count) == expected


def test_month_start_end_and_next():
    assert months.month_start(D(2024, 2, 17)) == D(2024, 2, 1)
    assert months.month_end(D(2024, 2, 17)) == D(2024, 2, 29)
    assert months.month_end(D(2025, 2, 1)) == D(2025, 2, 28)
    assert months.next_month(D(2025, 12, 31)) == D(2026, 1, 1)
    assert months.next_month(D(2025, 1, 1)) == D(2025, 2, 1)


def test_months_between_includes_both_ends():
    assert months.months_between(D(2019, 11, 1), D(2020, 2, 1)) == [
        D(2019, 11, 1),
        D(2019, 12, 1),
        D(2020, 1, 1),
        D(2020, 2, 1),
    ]
    assert months.months_between(D(2020, 3, 1), D(2020, 3, 1)) == [D(2020, 3, 1)]
    assert months.months_between(D(2020, 4, 1), D(2020, 3, 1)) == []
    # A first day part-way through a month still starts at that month.
    assert months.months_between(D(2020, 1, 20), D(2020, 2, 1)) == [D(2020, 1, 1), D(2020, 2, 1)]


def test_parse_and_write_months():
    assert months.parse_month(" 2020-09 ") == D(2020, 9, 1)
    for bad in ("2020-13", "2020/09", "September 2020", "Sept 2020", "2020", "", "2020-09-01"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            months.parse_month(bad)
    assert months.month_key(D(2020, 9, 1)) == "2020-09"
    assert months.month_key(None) is None
    assert months.month_label(D(2020, 9, 1)) == "September 2020"
