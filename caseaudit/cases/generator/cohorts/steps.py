"""Steps that several cohorts' journeys share."""

from __future__ import annotations

import datetime as dt

from caseaudit.organisation.choices import ServiceKind

from ..caseloads import Allocation
from ..context import Context, Unit
from ..dice import Dice, Table
from ..front_door import (
    add_assessment,
    add_cin_episode,
    add_referral,
    assessment_working_days,
    earlier_working_day,
)
from ..journey import Journey
from ..people import (
    CSE_RISK_COLUMN,
    Child,
    cse_risk,
    new_child,
)
from ..period import add_working_days

ASSESSMENT = ServiceKind.ASSESSMENT
SAFEGUARDING = ServiceKind.FAMILY_SAFEGUARDING
LOOKED_AFTER = ServiceKind.LOOKED_AFTER
LEAVING_CARE = ServiceKind.CARE_LEAVERS
DISABILITIES = ServiceKind.DISABILITIES
YOUTH_OFFENDING = ServiceKind.YOUTH_OFFENDING

AGE_TEENAGE = Table([((10.0, 14.0), 30.0), ((14.0, 18.0), 70.0)])
AGE_SCHOOL = Table([((4.0, 10.0), 45.0), ((10.0, 17.5), 55.0)])
NEED_AFTER_NFA = Table([("N9", 50.0), ("N0", 20.0), ("N1", 15.0), ("N4", 8.0), ("N5", 7.0)])
DAYS = dt.timedelta(days=1)


def open_child(unit: Unit, profile: Table, born_before: dt.date) -> Child:
    return new_child(
        unit.dice,
        unit.child_id(),
        unit.context.period.as_at,
        profile,
        born_before=born_before,
    )


def earlier_nfa(
    journey: Journey, dice: Dice, context: Context, referral: dt.date, allocation: Allocation
) -> int | None:
    """Sometimes the child was referred earlier in the window and it went no further."""
    period = context.period
    if not dice.chance(0.05):
        return None
    earlier = earlier_working_day(referral - dt.timedelta(days=dice.whole(20, 150)))
    if earlier < period.six_months_start:
        return None
    count = add_referral(journey, dice, period, earlier, allocation, nfa=True)
    add_cin_episode(
        journey,
        period,
        earlier,
        allocation,
        need=dice.pick(NEED_AFTER_NFA),
        last_seen=None,
        status="CLOSED",
        closed=earlier,
        reason="RC8",
    )
    return count + 1


def recent_visit(dice: Dice, start: dt.date, as_at: dt.date) -> dt.date:
    """Children in need are seen at least every 20 working days, most of the time."""
    gap = dice.whole(0, 19) if dice.chance(0.85) else dice.whole(20, 60)
    return max(add_working_days(earlier_working_day(as_at), -gap), start)


def assessed(
    journey: Journey,
    dice: Dice,
    context: Context,
    referral: dt.date,
    allocation: Allocation,
    *,
    requires_support: str,
    latest_authorisation: dt.date | None = None,
) -> tuple[dt.date, dt.date | None]:
    """An assessment starting within a few days of the referral; returns (start, authorised).
    It is authorised by ``latest_authorisation`` when given; otherwise it may still be open."""
    start = add_working_days(referral, dice.whole(0, 3)) if dice.chance(0.6) else referral
    authorised: dt.date | None = add_working_days(start, assessment_working_days(dice))
    if latest_authorisation is not None and authorised > latest_authorisation:
        authorised = max(start, earlier_working_day(latest_authorisation))
    elif authorised > context.period.as_at:
        authorised = None
    add_assessment(
        journey,
        context.period,
        start,
        allocation,
        authorised=authorised,
        seen="Y" if dice.chance(0.96) else "N",
        requires_support=requires_support,
    )
    return start, authorised


def add_care(
    journey: Journey,
    dice: Dice,
    context: Context,
    cin_start: dt.date,
    record: dict[str, object],
    allocation: Allocation,
    *,
    closed: dt.date | None = None,
    reason: str | None = None,
    after_care: Allocation | None = None,
) -> None:
    """The care episode in List 8 and its CIN episode in List 6 (status LAC while open)."""
    assert journey.child is not None
    missing = int(record["missing_episodes_last_12_months"])  # type: ignore[call-overload]
    journey.child[CSE_RISK_COLUMN] = cse_risk(dice, journey.child, missing=missing > 0)
    journey.add(8, record | allocation)
    add_cin_episode(
        journey,
        context.period,
        cin_start,
        after_care or allocation,
        need=record["category_of_need"],  # type: ignore[arg-type]
        last_seen=record["last_social_work_visit_date"],  # type: ignore[arg-type]
        status="LAC" if closed is None and after_care is None else "CIN_PLAN",
        closed=closed,
        reason=reason,
    )
