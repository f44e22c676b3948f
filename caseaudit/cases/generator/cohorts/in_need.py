"""Children in need and children on child protection plans."""

from __future__ import annotations

import datetime as dt

from caseaudit.core.months import add_months

from ..caseloads import Allocation, split
from ..context import Context, Unit
from ..dice import Dice, Table
from ..front_door import (
    CHILD_IN_NEED_NEED,
    add_cin_episode,
    add_enquiry,
    add_referral,
    conference_after,
    earlier_working_day,
    strategy_before,
    working_day_between,
)
from ..journey import Journey
from ..people import (
    AGE_ALL,
    AGE_CHILD_PROTECTION,
    CSE_RISK_COLUMN,
    Child,
    cse_risk,
    new_child,
)
from ..protection import cp_plan_record, plan_length_days
from .steps import (
    AGE_SCHOOL,
    AGE_TEENAGE,
    DAYS,
    DISABILITIES,
    SAFEGUARDING,
    YOUTH_OFFENDING,
    assessed,
    recent_visit,
)

__all__ = [
    "child_in_need_closed",
    "child_in_need_plan",
    "child_protection",
    "child_protection_ended",
]

CIN_PLAN_SERVICES = ((SAFEGUARDING, 0.35), (DISABILITIES, 0.3), (YOUTH_OFFENDING, 0.35))
CP_SERVICES = ((SAFEGUARDING, 0.94), (DISABILITIES, 0.06))
CIN_PLAN_CLOSED = Table(
    [("RC7", 74.0), ("RC4", 3.0), ("RC3", 3.0), ("RC5", 8.0), ("RC6", 5.0), ("RC9", 7.0)]
)

# --- cohorts: children in need and child protection ---------------------------------------


def _service_child(unit: Unit, service: str, born_before: dt.date) -> Child:
    if service == DISABILITIES:
        profile, disability = AGE_SCHOOL, "Y"
    elif service == YOUTH_OFFENDING:
        profile, disability = AGE_TEENAGE, None
    else:
        profile, disability = AGE_ALL, None
    return new_child(
        unit.dice,
        unit.child_id(),
        unit.context.period.as_at,
        profile,
        born_before=born_before,
        disability=disability,
    )


def _need_for(dice: Dice, service: str) -> str:
    if service == DISABILITIES and dice.chance(0.85):
        return "N2"
    if service == YOUTH_OFFENDING and dice.chance(0.7):
        return "N6"
    return dice.pick(CHILD_IN_NEED_NEED)


def _new_episode(
    journey: Journey,
    dice: Dice,
    context: Context,
    start: dt.date,
    allocation: Allocation,
    *,
    plan_by: dt.date | None,
) -> None:
    """Referral, assessment and perhaps a section 47 enquiry leading to a CIN plan."""
    add_referral(journey, dice, context.period, start, allocation)
    assessment_start, authorised = assessed(
        journey,
        dice,
        context,
        start,
        allocation,
        requires_support="Y",
        latest_authorisation=plan_by,
    )
    if dice.chance(0.2):
        strategy = working_day_between(dice, start, assessment_start + 10 * DAYS)
        conference = conference_after(dice, strategy) if dice.chance(0.2) else None
        if conference is not None and conference > context.period.as_at:
            conference = None
        add_enquiry(
            journey,
            context.period,
            strategy,
            allocation,
            conference=conference,
            conference_needed=conference is not None,
            plan=False if conference else None,
        )


def child_in_need_plan(unit: Unit) -> list[Journey]:
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    service, within = split(position, CIN_PLAN_SERVICES)
    allocation = context.caseloads.worker(service, within)
    if dice.chance(0.35):
        start = working_day_between(dice, period.six_months_start, period.days_ago(75))
    else:
        start = earlier_working_day(period.days_ago(dice.whole(183, 900)))
    child = _service_child(unit, service, start)
    child[CSE_RISK_COLUMN] = cse_risk(dice, child, missing=False)
    journey = Journey(child)
    if period.in_six_months(start):
        _new_episode(journey, dice, context, start, allocation, plan_by=None)
    elif dice.chance(0.12):
        reassessed = working_day_between(dice, period.six_months_start, period.days_ago(10))
        assessed(journey, dice, context, reassessed, allocation, requires_support="Y")
    add_cin_episode(
        journey,
        period,
        start,
        allocation,
        need=_need_for(dice, service),
        last_seen=recent_visit(dice, start, period.as_at),
        status="CIN_PLAN",
    )
    return [journey]


def child_in_need_closed(unit: Unit) -> list[Journey]:
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    service, within = split(position, CIN_PLAN_SERVICES)
    allocation = context.caseloads.worker(service, within)
    closed = working_day_between(dice, period.six_months_start, period.as_at)
    start = earlier_working_day(closed - dt.timedelta(days=dice.whole(60, 540)))
    reason = dice.pick(CIN_PLAN_CLOSED)
    child: Child
    if reason == "RC6":
        # Transferred to adult services at eighteen.
        born = add_months(closed, -18 * 12)
        child = new_child(
            dice,
            unit.child_id(),
            period.as_at,
            AGE_ALL,
            date_of_birth=born,
            disability="Y" if service == DISABILITIES else None,
        )
    else:
        child = _service_child(unit, service, start)
    child[CSE_RISK_COLUMN] = cse_risk(dice, child, missing=False)
    journey = Journey(child)
    if period.in_six_months(start):
        _new_episode(journey, dice, context, start, allocation, plan_by=closed)
    add_cin_episode(
        journey,
        period,
        start,
        allocation,
        need=_need_for(dice, service),
        last_seen=max(start, closed - dt.timedelta(days=dice.whole(0, 30))),
        status="CIN_PLAN",
        closed=closed,
        reason=reason,
    )
    return [journey]


def to_conference(
    journey: Journey, dice: Dice, context: Context, plan_start: dt.date, allocation: Allocation
) -> dt.date:
    """The way into a CP plan: referral, strategy discussion, assessment, ICPC. Returns the
    start of the child's CIN episode."""
    period = context.period
    strategy = strategy_before(dice, plan_start)
    if dice.chance(0.65):
        referral = earlier_working_day(strategy - dt.timedelta(days=dice.whole(0, 5)))
        add_referral(journey, dice, period, referral, allocation)
        assessed(journey, dice, context, referral, allocation, requires_support="Y")
    else:
        # Already known: open to the service for months before the enquiry.
        referral = earlier_working_day(strategy - dt.timedelta(days=dice.whole(30, 400)))
        add_referral(journey, dice, period, referral, allocation)
        assessed(
            journey,
            dice,
            context,
            referral,
            allocation,
            requires_support="Y",
            latest_authorisation=strategy,
        )
    add_enquiry(
        journey,
        period,
        strategy,
        allocation,
        conference=plan_start,
        conference_needed=True,
        plan=True,
        prior_enquiries=1 if dice.chance(0.1) else 0,
    )
    return referral


def child_protection(unit: Unit) -> list[Journey]:
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    service, within = split(position, CP_SERVICES)
    allocation = context.caseloads.worker(service, within)
    plan_start = earlier_working_day(period.days_ago(plan_length_days(dice, ended=False)))
    journey = Journey(None)
    cin_start = to_conference(journey, dice, context, plan_start, allocation)
    child = new_child(
        dice,
        unit.child_id(),
        period.as_at,
        AGE_CHILD_PROTECTION,
        born_before=cin_start,
        disability="Y" if service == DISABILITIES else None,
    )
    child[CSE_RISK_COLUMN] = cse_risk(dice, child, missing=False)
    journey.child = child
    plan = cp_plan_record(dice, period, plan_start, age=float(child["age"]))  # type: ignore[arg-type]
    journey.add(7, plan | allocation)
    add_cin_episode(
        journey,
        period,
        cin_start,
        allocation,
        need="N1" if dice.chance(0.88) else dice.pick(CHILD_IN_NEED_NEED),
        last_seen=plan["last_statutory_visit_date"],  # type: ignore[arg-type]
        status="CP_PLAN",
    )
    return [journey]


def child_protection_ended(unit: Unit) -> list[Journey]:
    """Plans that ended in the window: most step down to a CIN plan, the rest close."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    service, within = split(position, CP_SERVICES)
    allocation = context.caseloads.worker(service, within)
    ended = working_day_between(dice, period.six_months_start, period.as_at)
    plan_start = earlier_working_day(ended - dt.timedelta(days=plan_length_days(dice, ended=True)))
    journey = Journey(None)
    cin_start = to_conference(journey, dice, context, plan_start, allocation)
    child = new_child(
        dice,
        unit.child_id(),
        period.as_at,
        AGE_CHILD_PROTECTION,
        born_before=cin_start,
        disability="Y" if service == DISABILITIES else None,
    )
    child[CSE_RISK_COLUMN] = cse_risk(dice, child, missing=False)
    journey.child = child
    plan = cp_plan_record(dice, period, plan_start, age=float(child["age"]), ended=ended)  # type: ignore[arg-type]
    journey.add(7, plan | allocation)
    closed = None
    if not dice.chance(0.6):
        closed = ended
        if dice.chance(0.5):
            closed = min(ended + dt.timedelta(days=dice.whole(1, 60)), period.as_at)
    add_cin_episode(
        journey,
        period,
        cin_start,
        allocation,
        need="N1",
        last_seen=recent_visit(dice, ended, closed or period.as_at),
        status="CIN_PLAN",
        closed=closed,
        reason="RC7" if closed else None,
    )
    return [journey]
