"""The dates an Annex A return covers, and the little calendar arithmetic the generator needs.

Most lists cover the six months up to the return's date ("as at"); adoption lists cover twelve.
Working days here skip weekends only: the generator wants plausible dates, and the
performance indicators apply the full bank-holiday calendar when they measure them.
"""

from __future__ import annotations

import datetime as dt

from caseaudit.core.months import add_months

__all__ = [
    "DEFAULT_AS_AT",
    "Period",
    "add_working_days",
    "age_in_years",
    "on_weekday",
    "years_before",
]

# The end of a reporting year, so that the default return is the same on every machine.
DEFAULT_AS_AT = dt.date(2025, 3, 31)
DAYS_PER_YEAR = 365.25
ONE_DAY = dt.timedelta(days=1)


def on_weekday(day: dt.date) -> dt.date:
    """Meetings, conferences and authorisations happen on weekdays: move to the Monday."""
    weekday = day.weekday()
    return day + dt.timedelta(days=7 - weekday) if weekday >= 5 else day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """``count`` weekdays after ``day`` (before it when negative); a weekend day counts from
    the Friday before (forwards) or the Monday after (backwards)."""
    if count == 0:
        return day
    weekday = day.weekday()
    if count > 0:
        if weekday >= 5:
            day, weekday = day - dt.timedelta(days=weekday - 4), 4
        weeks, rest = divmod(count, 5)
        extra = 2 if weekday + rest >= 5 else 0
        return day + dt.timedelta(days=weeks * 7 + rest + extra)
    if weekday >= 5:
        day, weekday = day + dt.timedelta(days=7 - weekday), 0
    weeks, rest = divmod(-count, 5)
    extra = 2 if weekday - rest < 0 else 0
    return day - dt.timedelta(days=weeks * 7 + rest + extra)


def age_in_years(date_of_birth: dt.date, on: dt.date) -> float:
    """Fractional age, as case-management systems export it (days / 365.25)."""
    return (on - date_of_birth).days / DAYS_PER_YEAR


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(years * DAYS_PER_YEAR))


class Period:
    """The return's date and the windows its lists cover."""

    __slots__ = ("as_at", "six_months_start", "twelve_months_start")

    def __init__(self, as_at: dt.date) -> None:
        self.as_at = as_at
        self.six_months_start = add_months(as_at, -6) + ONE_DAY
        self.twelve_months_start = add_months(as_at, -12) + ONE_DAY

    def __repr__(self) -> str:
        return f"Period(as_at={self.as_at!r})"

    def in_six_months(self, day: dt.date | None) -> bool:
        return day is not None and self.six_months_start <= day <= self.as_at

    def in_twelve_months(self, day: dt.date | None) -> bool:
        return day is not None and self.twelve_months_start <= day <= self.as_at

    def days_ago(self, days: int) -> dt.date:
        return self.as_at - dt.timedelta(days=days)
