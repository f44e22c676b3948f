import datetime

import pytest

from caseaudit.core.working_days import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"), [(2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)), (2026, D(2026, 4, 5))]
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_bank_holidays_match_the_published_lists():
    # As published for England and Wales.
    assert bank_holidays(2020) == {
        D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8),
        D(2020, 5, 25), D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28),
    }  # fmt: skip
    assert bank_holidays(2022) == {
        D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
        D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27),
    }  # fmt: skip
    assert D(2023, 5, 8) in bank_holidays(2023)
    assert bank_holidays(2026) == {
        D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4),
        D(2026, 5, 25), D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28),
    }  # fmt: skip


def test_counting_working_days_skips_weekends_and_holidays():
    # Thursday 24 December 2020 + 2 working days: Christmas and the Monday substitute skipped.
    assert add_working_days(D(2020, 12, 24), 2) == D(2020, 12, 30)
    assert add_working_days(D(2020, 12, 30), -2) == D(2020, 12, 24)
    assert working_days_between(D(2020, 12, 24), D(2020, 12, 30)) == 2
    # 45 working days after Monday 6 January 2025: 19 in January, 20 in February, 6 in March.
    assert add_working_days(D(2025, 1, 6), 45) == D(2025, 3, 10)


# The timescale edges the performance indicators use, counted as the DfE validators count:
# the start day is day 0, the end day counts. A "within N working days" measure is met on the
# Nth working day and missed on the next one.
@pytest.mark.parametrize(
    ("start", "days", "last_day_within", "first_day_late"),
    [
        # Christmas 2024: 25 and 26 December and 1 January skipped.
        (D(2024, 11, 18), 45, D(2025, 1, 23), D(2025, 1, 24)),
        # Christmas 2025: Thursday and Friday off, so the 15th day is the Monday after.
        (D(2025, 12, 4), 15, D(2025, 12, 29), D(2025, 12, 30)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April skipped.
        (D(2026, 2, 16), 45, D(2026, 4, 22), D(2026, 4, 23)),
        (D(2026, 3, 20), 15, D(2026, 4, 14), D(2026, 4, 15)),
    ],
)
def test_45_and_15_working_day_edges_over_christmas_and_easter(
    start, days, last_day_within, first_day_late
):
    assert add_working_days(start, days) == last_day_within
    assert working_days_between(start, last_day_within) == days
    assert working_days_between(start, first_day_late) == days + 1


def test_a_holiday_at_the_weekend_is_not_a_second_day_off():
    # Boxing Day 2026 is a Saturday: the Monday is the day off, the Saturday is not listed.
    assert D(2026, 12, 26) not in bank_holidays(2026)
    assert D(2026, 12, 28) in bank_holidays(2026)
