"""Child protection plans: categories, statutory visits and review conferences."""

from __future__ import annotations

import datetime as dt

from caseaudit.core.months import add_months

from .dice import Dice, Table
from .period import Period, add_working_days, on_weekday

__all__ = ["cp_plan_record", "plan_length_days"]

# Initial category of abuse for plans starting in England (neglect and emotional abuse lead).
CATEGORY = Table([("NEG", 48.0), ("EMO", 37.0), ("PHY", 7.0), ("SAB", 4.0), ("MUL", 4.0)])
PREVIOUS_PLANS = Table([(0, 77.0), (1, 17.0), (2, 5.0), (3, 1.0)])
# How long open plans have lasted at the return's date: few beyond two years.
OPEN_PLAN_AGE_DAYS = Table(
    [((1, 91), 31.0), ((91, 183), 24.0), ((183, 365), 30.0), ((365, 730), 13.0), ((730, 1000), 2.0)]
)
# How long plans that ended had lasted.
ENDED_PLAN_DAYS = Table(
    [((90, 183), 25.0), ((183, 365), 50.0), ((365, 730), 22.0), ((730, 900), 3)]
)
# Working days since the last statutory visit: most within the 10-day local standard.
VISIT_GAP_WORKING_DAYS = Table([((0, 10), 82.0), ((10, 20), 13.0), ((20, 40), 5.0)])


def plan_length_days(dice: Dice, *, ended: bool) -> int:
    low, high = dice.pick(ENDED_PLAN_DAYS if ended else OPEN_PLAN_AGE_DAYS)
    return dice.whole(low, high - 1)


def _last_review(dice: Dice, start: dt.date, until: dt.date) -> dt.date | None:
    """Reviews come three months after the ICPC, then every six months."""
    review = on_weekday(add_months(start, 3) + dt.timedelta(days=dice.whole(-10, 3)))
    if review > until:
        return None
    while True:
        following = on_weekday(add_months(review, 6) + dt.timedelta(days=dice.whole(-10, 3)))
        if following > until:
            return review
        review = following


def cp_plan_record(
    dice: Dice,
    period: Period,
    start: dt.date,
    *,
    age: float,
    ended: dt.date | None = None,
) -> dict[str, object]:
    """A CP plan that started on ``start`` (its ICPC), open or ended on ``ended``."""
    initial = dice.pick(CATEGORY)
    latest = initial if dice.chance(0.9) else dice.pick(CATEGORY)
    until = ended or period.as_at
    low, high = dice.pick(VISIT_GAP_WORKING_DAYS)
    visit = add_working_days(until, -dice.whole(low, high - 1))
    if visit < start:
        visit = start + dt.timedelta(days=dice.whole(0, (until - start).days))
    last_review = ended if ended is not None else _last_review(dice, start, until)
    seen_alone: str | None
    if age < 4:
        seen_alone = "N" if dice.chance(0.85) else None
    else:
        seen_alone = "Y" if dice.chance(0.8) else "N"
    protected = "Y" if period.in_six_months(start) and dice.chance(0.03) else "N"
    return {
        "cp_plan_start_date": start,
        "initial_abuse_category": initial,
        "latest_abuse_category": latest,
        "last_statutory_visit_date": visit,
        "seen_alone": seen_alone,
        "latest_review_conference_date": last_review,
        "cp_plan_end_date": ended,
        "emergency_protection_last_6_months": protected,
        "previous_cp_plans": dice.pick(PREVIOUS_PLANS),
    }
