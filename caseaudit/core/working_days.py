"""Working days: weekdays that are not England and Wales bank holidays.

One place for the rule every timescale uses (assessments in 45 working days, ICPCs in 15,
CP visits every 10). The bank holidays come from the maintained `holidays` package rather
than a hand-typed list, so a holiday added by proclamation (a jubilee, a coronation, a state
funeral) arrives with a dependency update instead of waiting for someone to notice.

Counting rule (the DfE CIN census validators' and the published timeliness measures'): the
start day is day 0 and is not counted; each working day after it, up to and including the
end day, counts one. So an assessment started on a Monday and authorised on the Tuesday took
1 working day, and one authorised on its 45th working day is still within 45.
"""

import datetime
from functools import cache

import holidays
from dateutil.easter import easter

ONE_DAY = datetime.timedelta(days=1)

# England and Wales share one list of bank holidays; the package files it under England.
COUNTRY, SUBDIVISION = "GB", "ENG"


def easter_sunday(year: int) -> datetime.date:
    """The Gregorian Easter (Good Friday and Easter Monday hang off it)."""
    return easter(year)


@cache
def bank_holidays(year: int) -> frozenset[datetime.date]:
    """The days off in ``year`` as GOV.UK publishes them: weekdays only.

    The package also lists a holiday that falls at a weekend (Boxing Day on a Saturday)
    beside its weekday substitute; only the substitute is a day off work.
    """
    calendar = holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year)
    return frozenset(day for day in calendar if day.year == year and day.weekday() < 5)


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
