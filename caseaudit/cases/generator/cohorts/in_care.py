"""Children looked after, children who left care in the window, and care leavers."""

from __future__ import annotations

import datetime as dt

from caseaudit.core.months import add_months

from ..care import care_leaver_record, looked_after_record
from ..caseloads import Allocation, split
from ..context import Context, Unit
from ..dice import Dice, Table
from ..front_door import (
    add_enquiry,
    add_referral,
    earlier_working_day,
    working_day_between,
)
from ..journey import Journey
from ..people import (
    AGE_ADOPTED,
    AGE_CARE_LEAVER,
    AGE_CHILD_PROTECTION,
    AGE_LOOKED_AFTER,
    AGE_UASC,
    date_of_birth_for,
    new_child,
)
from ..protection import cp_plan_record
from .in_need import CP_SERVICES, to_conference
from .steps import (
    AGE_SCHOOL,
    AGE_TEENAGE,
    DAYS,
    DISABILITIES,
    LEAVING_CARE,
    LOOKED_AFTER,
    SAFEGUARDING,
    YOUTH_OFFENDING,
    add_care,
    assessed,
)

__all__ = ["care_leaver", "left_care", "looked_after", "protected_then_looked_after"]

CARE_SERVICES = ((LOOKED_AFTER, 0.88), (DISABILITIES, 0.08), (YOUTH_OFFENDING, 0.04))
YEARS_IN_CARE = Table(
    [
        ((0, 183), 21.0),
        ((183, 365), 14.0),
        ((365, 730), 18.0),
        ((730, 1460), 22.0),
        ((1460, 3650), 19.0),
        ((3650, 6000), 6.0),
    ]
)
LEFT_CARE = (("AT_18", 0.4), ("HOME", 0.25), ("ORDER", 0.2), ("OTHER", 0.15))
REASON_AT_18 = Table([("E5", 35.0), ("E17", 25.0), ("E6", 7.0), ("E8", 18.0), ("E13", 15.0)])
REASON_ORDER = Table([("E45", 40.0), ("E46", 10.0), ("E47", 30.0), ("E48", 5.0), ("E41", 15.0)])
REASON_OTHER = Table([("E4B", 30.0), ("E13", 20.0), ("E3", 15.0), ("E8", 25.0), ("E9", 5.0)])

# --- cohorts: children looked after and care leavers --------------------------------------


def _came_into_care(
    journey: Journey,
    dice: Dice,
    context: Context,
    start: dt.date,
    allocation: Allocation,
    *,
    uasc: bool,
    born: dt.date,
) -> dt.date:
    """How a child new to care in the window got there; returns their CIN episode's start.
    Nothing is dated before the child's birth (pre-birth referrals are left out)."""
    period = context.period
    if not period.in_six_months(start) or dice.chance(0.45):
        if dice.chance(0.3):
            return start
        return max(born, earlier_working_day(start - dt.timedelta(days=dice.whole(30, 700))))
    if (start - born).days < 7:
        return start  # accommodated at birth
    referral = earlier_working_day(start - dt.timedelta(days=dice.whole(0, 45)))
    referral = max(born + 4 * DAYS, referral)
    add_referral(journey, dice, period, referral, allocation)
    assessment_start, _authorised = assessed(
        journey, dice, context, referral, allocation, requires_support="Y"
    )
    if not uasc and dice.chance(0.45):
        # The enquiry found the child had to be accommodated: no conference was needed.
        strategy = working_day_between(dice, referral, max(referral, start))
        add_enquiry(
            journey,
            period,
            strategy,
            allocation,
            conference=None,
            conference_needed=False,
            plan=None,
        )
    return referral


def _care_allocation(context: Context, position: float) -> tuple[str, Allocation]:
    service, within = split(position, CARE_SERVICES)
    return service, context.caseloads.worker(service, within)


def looked_after(unit: Unit) -> list[Journey]:
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    service, allocation = _care_allocation(context, position)
    uasc = service == LOOKED_AFTER and dice.chance(0.085)
    if uasc:
        profile = AGE_UASC
    elif service == YOUTH_OFFENDING:
        profile = AGE_TEENAGE
    else:
        profile = AGE_LOOKED_AFTER
    # Age first, then time in care, so the ages are those of children in care nationally.
    born = date_of_birth_for(dice, period.as_at, profile)
    low, high = (0, 1000) if uasc else dice.pick(YEARS_IN_CARE)
    days = dice.whole(low, high - 1)
    if days >= (period.as_at - born).days:
        days = dice.whole(0, (period.as_at - born).days)
    start = max(earlier_working_day(period.days_ago(days)), born)
    journey = Journey(None)
    cin_start = _came_into_care(journey, dice, context, start, allocation, uasc=uasc, born=born)
    child = new_child(
        dice,
        unit.child_id(),
        period.as_at,
        profile,
        date_of_birth=born,
        disability="Y" if service == DISABILITIES else None,
        uasc=uasc,
    )
    journey.child = child
    age = float(child["age"])  # type: ignore[arg-type]
    legal = "J1" if service == YOUTH_OFFENDING and dice.chance(0.3) else None
    record = looked_after_record(
        dice, period, context.places, start=start, age=age, uasc=uasc, legal_status=legal
    )
    add_care(journey, dice, context, cin_start, record, allocation)
    return [journey]


# How long children had been on a plan when they came into care (days).
PLAN_BEFORE_CARE_DAYS = Table([((20, 90), 30.0), ((90, 270), 40.0), ((270, 720), 30.0)])


def protected_then_looked_after(unit: Unit) -> list[Journey]:
    """Children on a child protection plan who came into care in the window: the plan ended
    the day they became looked after. Seed 004 (Ofsted) finds "drift and delay before coming
    into care"; these children are the ones the plan-to-care drift indicator measures."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    _service, allocation = _care_allocation(context, position)
    protection = context.caseloads.worker(*split(position, CP_SERVICES))
    start = working_day_between(dice, period.six_months_start, period.as_at)
    low, high = dice.pick(PLAN_BEFORE_CARE_DAYS)
    plan_start = earlier_working_day(start - dt.timedelta(days=dice.whole(low, high - 1)))
    journey = Journey(None)
    cin_start = to_conference(journey, dice, context, plan_start, protection)
    child = new_child(
        dice, unit.child_id(), period.as_at, AGE_CHILD_PROTECTION, born_before=cin_start
    )
    journey.child = child
    age = float(child["age"])  # type: ignore[arg-type]
    plan = cp_plan_record(dice, period, plan_start, age=age, ended=start)
    journey.add(7, plan | protection)
    record = looked_after_record(dice, period, context.places, start=start, age=age, uasc=False)
    add_care(journey, dice, context, cin_start, record, allocation)
    return [journey]


def left_care(unit: Unit) -> list[Journey]:
    """Ceased to be looked after in the window: at 18, home, under an order, or otherwise."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    service, allocation = _care_allocation(context, position)
    ceased = working_day_between(dice, period.six_months_start, period.as_at)
    # Chosen by an even spread, so the care leavers among them are spread evenly over the
    # personal advisers (whose caseloads the seeds say peak at 24).
    way, among_way = split(unit.second_position, LEFT_CARE)
    uasc = False
    date_of_birth = None
    after_care: Allocation | None = None
    closed: dt.date | None = ceased
    if way == "AT_18":
        date_of_birth = add_months(ceased, -18 * 12)
        uasc = service == LOOKED_AFTER and dice.chance(0.15)
        start = earlier_working_day(ceased - dt.timedelta(days=dice.whole(200, 4000)))
        if uasc:
            start = earlier_working_day(ceased - dt.timedelta(days=dice.whole(200, 1000)))
        reason = dice.pick(REASON_AT_18)
        cin_reason = "RC6" if service == DISABILITIES else "RC7"
        profile = AGE_LOOKED_AFTER
    elif way == "HOME":
        start = earlier_working_day(ceased - dt.timedelta(days=dice.whole(30, 900)))
        reason, cin_reason, profile = "E4A", "RC7", AGE_SCHOOL
        if dice.chance(0.45):
            closed = None
            after_care = context.caseloads.worker(SAFEGUARDING, position)
        elif dice.chance(0.5):
            closed = min(ceased + dt.timedelta(days=dice.whole(1, 60)), period.as_at)
    elif way == "ORDER":
        start = earlier_working_day(ceased - dt.timedelta(days=dice.whole(200, 1000)))
        reason = dice.pick(REASON_ORDER)
        cin_reason, profile = ("RC3" if reason == "E41" else "RC4"), AGE_ADOPTED
    else:
        start = earlier_working_day(ceased - dt.timedelta(days=dice.whole(30, 1500)))
        reason = dice.pick(REASON_OTHER)
        cin_reason, profile = ("RC5" if reason == "E3" else "RC7"), AGE_LOOKED_AFTER
    cin_start = start if dice.chance(0.3) else earlier_working_day(start - 200 * DAYS)
    child = new_child(
        dice,
        unit.child_id(),
        period.as_at,
        profile,
        born_before=cin_start,
        date_of_birth=date_of_birth,
        disability="Y" if service == DISABILITIES else None,
        uasc=uasc,
    )
    if date_of_birth is not None and date_of_birth >= start:
        start = date_of_birth + DAYS
    journey = Journey(child)
    age_at_ceasing = (ceased - child["date_of_birth"]).days / 365.25  # type: ignore[operator]
    record = looked_after_record(
        dice,
        period,
        context.places,
        start=start,
        age=age_at_ceasing,
        uasc=uasc,
        ceased=ceased,
        reason=reason,
    )
    add_care(
        journey,
        dice,
        context,
        min(cin_start, start),
        record,
        allocation,
        closed=closed,
        reason=cin_reason if closed else None,
        after_care=after_care,
    )
    if way == "AT_18":
        adviser = context.caseloads.worker(LEAVING_CARE, among_way)
        leaver = care_leaver_record(dice, period, age=float(child["age"]), left_care=ceased)  # type: ignore[arg-type]
        journey.add(9, leaver | adviser)
    return [journey]


def care_leaver(unit: Unit) -> list[Journey]:
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    uasc = dice.chance(0.18)
    child = new_child(
        dice,
        unit.child_id(),
        period.as_at,
        AGE_CARE_LEAVER,
        disability="Y" if dice.chance(0.12) else "N",
        uasc=uasc,
    )
    journey = Journey(child)
    record = care_leaver_record(dice, period, age=float(child["age"]))  # type: ignore[arg-type]
    journey.add(9, record | context.caseloads.worker(LEAVING_CARE, position))
    return [journey]
