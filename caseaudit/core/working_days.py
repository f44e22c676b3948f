"""Working days: weekdays that are not England and Wales bank holidays.

One place for the rule every timescale uses (assessments in 45 working days, ICPCs in 15,
CP visits every 10). Bank holidays are computed for any year, with the one-off holidays and
moved days of recent years listed by hand.
"""

import datetime
from functools import cache

ONE_DAY = datetime.timedelta(days=1)

# Holidays that do not follow the usual rules (moved or added by proclamation).
SPECIAL = {
    datetime.date(2011, 4, 29): "Royal wedding",
    datetime.date(2012, 6, 4): "Spring bank holiday (moved)",
    datetime.date(2012, 6, 5): "Queen's Diamond Jubilee",
    datetime.date(2020, 5, 8): "Early May bank holiday (VE day)",
    datetime.date(2022, 6, 2): "Spring bank holiday (moved)",
    datetime.date(2022, 6, 3): "Queen's Platinum Jubilee",
    datetime.date(2022, 9, 19): "State funeral of Queen Elizabeth II",
    datetime.date(2023, 5, 8): "Coronation of King Charles III",
}
# Usual-rule holidays that those years replaced.
REPLACED = {
    datetime.date(2012, 5, 28),
    datetime.date(2020, 5, 4),
    datetime.date(2022, 5, 30),
}


def easter_sunday(year: int) -> datetime.date:
    """The Gregorian Easter (the anonymous algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    day = following - ONE_DAY
    return day - datetime.timedelta(days=day.weekday())


def _substitute(day: datetime.date, taken: set[datetime.date]) -> datetime.date:
    while day.weekday() >= 5 or day in taken:
        day += ONE_DAY
    return day


@cache
def bank_holidays(year: int) -> frozenset[datetime.date]:
    easter = easter_sunday(year)
    days: set[datetime.date] = set()
    days.add(_substitute(datetime.date(year, 1, 1), days))
    days.add(easter - 2 * ONE_DAY)  # Good Friday
    days.add(easter + ONE_DAY)  # Easter Monday
    days.add(_first_monday(year, 5))
    days.add(_last_monday(year, 5))
    days.add(_last_monday(year, 8))
    christmas = _substitute(datetime.date(year, 12, 25), days)
    days.add(christmas)
    days.add(_substitute(datetime.date(year, 12, 26), days))
    days -= REPLACED
    days |= {day for day in SPECIAL if day.year == year}
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days after ``day`` (before it, if ``count`` is negative)."""
    step = ONE_DAY if count >= 0 else -ONE_DAY
    remaining = abs(count)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end is not later)."""
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count
