"""Children who arrive at the front door: contacts, early help, referrals and assessments."""

from __future__ import annotations

import datetime as dt

from ..context import Unit
from ..dice import Table
from ..front_door import (
    CHILD_IN_NEED_NEED,
    add_assessment,
    add_cin_episode,
    add_contact,
    add_early_help,
    add_enquiry,
    add_referral,
    assessment_working_days,
    earlier_working_day,
    working_day_between,
)
from ..journey import Journey
from ..people import (
    AGE_ALL,
    CSE_RISK_COLUMN,
    cse_risk,
)
from ..period import add_working_days, on_weekday
from .steps import (
    ASSESSMENT,
    DAYS,
    NEED_AFTER_NFA,
    earlier_nfa,
    open_child,
)

__all__ = ["assessed_and_closed", "contact_only", "early_help", "open_assessment", "referral_nfa"]

CLOSED_AFTER_ASSESSMENT = Table([("RC8", 55.0), ("RC9", 35.0), ("RC7", 10.0)])
CONTACTS_PER_CHILD = Table([(1, 85.0), (2, 12.0), (3, 3.0)])

# --- cohorts: before social care ----------------------------------------------------------


def contact_only(unit: Unit) -> list[Journey]:
    """Contacts that ended in advice, signposting or early help, not a referral."""
    context, dice = unit.context, unit.dice
    period = context.period
    days = sorted(
        {
            dice.day_between(period.six_months_start, period.as_at)
            for _ in range(dice.pick(CONTACTS_PER_CHILD))
        }
    )
    journey = Journey(open_child(unit, AGE_ALL, days[0]))
    for day in days:
        add_contact(journey, dice, period, day)
    return [journey]


def early_help(unit: Unit) -> list[Journey]:
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    start = working_day_between(dice, period.six_months_start, period.as_at)
    contact = start - dt.timedelta(days=dice.whole(0, 20)) if dice.chance(0.7) else None
    journey = Journey(open_child(unit, AGE_ALL, contact or start))
    if contact is not None:
        add_contact(journey, dice, period, contact)
    add_early_help(journey, dice, period, start, context.area(position))
    return [journey]


# --- cohorts: referrals and assessments ---------------------------------------------------


def referral_nfa(unit: Unit) -> list[Journey]:
    """Referrals with no further action: the CIN episode opens and closes (RC8) at once."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    day = working_day_between(dice, period.six_months_start, period.as_at)
    allocation = context.caseloads.team(ASSESSMENT, position)
    journey = Journey(open_child(unit, AGE_ALL, day))
    add_referral(journey, dice, period, day, allocation, nfa=True)
    closed = min(add_working_days(day, dice.whole(0, 2)), earlier_working_day(period.as_at))
    add_cin_episode(
        journey,
        period,
        day,
        allocation,
        need=dice.pick(NEED_AFTER_NFA),
        last_seen=None,
        status="CLOSED",
        closed=max(closed, day),
        reason="RC8",
    )
    return [journey]


def assessed_and_closed(unit: Unit) -> list[Journey]:
    """Assessed, then closed: no further action, early help, or a short period of support."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    allocation = context.caseloads.worker(ASSESSMENT, position)
    working_days = assessment_working_days(dice)
    latest = period.as_at - dt.timedelta(days=int(working_days * 1.4) + 20)
    referral = working_day_between(dice, period.six_months_start - 40 * DAYS, latest)
    journey = Journey(None)
    count = earlier_nfa(journey, dice, context, referral, allocation)
    child = open_child(unit, AGE_ALL, referral - 160 * DAYS)
    child[CSE_RISK_COLUMN] = cse_risk(dice, child, missing=False)
    journey.child = child
    add_referral(journey, dice, period, referral, allocation, count=count)
    reason = dice.pick(CLOSED_AFTER_ASSESSMENT)
    start = add_working_days(referral, dice.whole(0, 3))
    authorised = add_working_days(start, working_days)
    seen = "Y" if dice.chance(0.96) else "N"
    add_assessment(
        journey,
        period,
        start,
        allocation,
        authorised=authorised,
        seen=seen,
        requires_support="Y" if reason == "RC7" else "N",
    )
    if dice.chance(0.25):
        strategy = working_day_between(dice, referral, min(start + 10 * DAYS, authorised))
        add_enquiry(
            journey,
            period,
            strategy,
            allocation,
            conference=None,
            conference_needed=False,
            plan=None,
            prior_enquiries=1 if dice.chance(0.08) else 0,
        )
    closed = min(authorised + dt.timedelta(days=dice.whole(0, 10)), period.as_at)
    add_cin_episode(
        journey,
        period,
        referral,
        allocation,
        need="N9" if dice.chance(0.1) else dice.pick(CHILD_IN_NEED_NEED),
        last_seen=working_day_between(dice, start, authorised) if seen == "Y" else None,
        status="CLOSED",
        closed=closed,
        reason=reason,
    )
    if reason == "RC9" and dice.chance(0.45):
        add_early_help(
            journey,
            dice,
            period,
            on_weekday(closed + dt.timedelta(days=dice.whole(0, 25))),
            context.area(position),
        )
    return [journey]


def open_assessment(unit: Unit) -> list[Journey]:
    """Assessments still open: most within 45 working days, some overdue."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    allocation = context.caseloads.worker(ASSESSMENT, position)
    open_for = dice.whole(0, 44) if dice.chance(0.88) else dice.whole(45, 90)
    start = add_working_days(earlier_working_day(period.as_at), -open_for)
    referral = add_working_days(start, -dice.whole(0, 3))
    journey = Journey(None)
    count = earlier_nfa(journey, dice, context, referral, allocation)
    child = open_child(unit, AGE_ALL, referral - 160 * DAYS)
    child[CSE_RISK_COLUMN] = cse_risk(dice, child, missing=False)
    journey.child = child
    add_referral(journey, dice, period, referral, allocation, count=count)
    if open_for < 5:
        seen = "Y" if dice.chance(0.4) else None
    else:
        seen = "Y" if dice.chance(0.92) else "N"
    add_assessment(
        journey, period, start, allocation, authorised=None, seen=seen, requires_support=None
    )
    if dice.chance(0.22):
        strategy = working_day_between(dice, referral, period.as_at)
        recent = add_working_days(strategy, 15) > period.as_at
        if recent:
            needed: bool | None = True if dice.chance(0.35) else None
        else:
            needed = False
        add_enquiry(
            journey,
            period,
            strategy,
            allocation,
            conference=None,
            conference_needed=needed,
            plan=None,
        )
    # The primary need is often not settled until the assessment is.
    draw = dice.random()
    need = None if draw < 0.2 else "N0" if draw < 0.5 else dice.pick(CHILD_IN_NEED_NEED)
    add_cin_episode(
        journey,
        period,
        referral,
        allocation,
        need=need,
        last_seen=working_day_between(dice, start, period.as_at) if seen == "Y" else None,
        status="OPEN_ASSESSMENT",
    )
    return [journey]
