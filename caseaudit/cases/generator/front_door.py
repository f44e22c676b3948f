"""Contacts, early help, referrals, assessments and section 47 enquiries.

Each helper adds a record to the journey only when it falls inside the window its list covers
(the six months to the return's date), so a child whose referral came before the window shows
up in the later lists without a referral row, as in a real return.
"""

from __future__ import annotations

import datetime as dt

from .caseloads import Allocation
from .dice import Dice, Table
from .journey import Journey
from .period import Period, add_working_days, on_weekday

__all__ = [
    "CHILD_IN_NEED_NEED",
    "add_assessment",
    "add_cin_episode",
    "add_contact",
    "add_early_help",
    "add_enquiry",
    "add_referral",
    "assessment_working_days",
    "conference_after",
    "earlier_working_day",
    "referrals_in_last_12_months",
    "strategy_before",
    "working_day_between",
]

# Sources of referrals in England (Children in need statistics); contacts have more police and
# individuals, and fewer from other parts of the council.
REFERRAL_SOURCE = Table(
    [
        ("1A", 3.5),
        ("1B", 0.8),
        ("1C", 1.0),
        ("1D", 1.2),
        ("2A", 19.0),
        ("2B", 1.2),
        ("3A", 2.5),
        ("3B", 2.5),
        ("3C", 0.7),
        ("3D", 3.0),
        ("3E", 2.5),
        ("3F", 4.5),
        ("4", 2.0),
        ("5A", 3.5),
        ("5B", 2.5),
        ("5C", 3.0),
        ("5D", 3.0),
        ("6", 29.0),
        ("7", 2.5),
        ("8", 6.5),
        ("9", 0.6),
        ("10", 2.0),
    ]
)
CONTACT_SOURCE = Table(
    [
        ("1A", 6.0),
        ("1B", 1.5),
        ("1C", 1.5),
        ("1D", 2.0),
        ("2A", 16.0),
        ("2B", 1.5),
        ("3A", 2.5),
        ("3B", 2.5),
        ("3C", 0.8),
        ("3D", 2.5),
        ("3E", 3.0),
        ("3F", 4.0),
        ("4", 2.5),
        ("5A", 2.0),
        ("5B", 2.0),
        ("5C", 2.5),
        ("5D", 2.0),
        ("6", 34.0),
        ("7", 2.0),
        ("8", 5.5),
        ("9", 1.5),
        ("10", 2.2),
    ]
)
# Prior referrals in the 12 months before this one: about one referral in five is a repeat,
# within the 19-26% Surrey reported through 2020.
PRIOR_REFERRALS = Table([(0, 81.0), (1, 14.0), (2, 3.8), (3, 1.2)])
PRIOR_REFERRALS_AFTER_NFA = Table([(0, 70.0), (1, 21.0), (2, 7.0), (3, 2.0)])
# Primary need of children in need; N9 is kept for cases that turn out not to be in need.
CHILD_IN_NEED_NEED = Table(
    [
        ("N1", 52.0),
        ("N2", 8.0),
        ("N3", 3.0),
        ("N4", 10.0),
        ("N5", 15.0),
        ("N6", 3.0),
        ("N7", 0.3),
        ("N8", 3.5),
        ("N0", 5.0),
    ]
)
# Working days an assessment takes; about 85% within the 45-day standard.
ASSESSMENT_WORKING_DAYS = Table(
    [((5, 20), 24.0), ((20, 35), 36.0), ((35, 45), 25.0), ((45, 65), 12.0), ((65, 100), 3.0)]
)
EARLY_HELP_ORGANISATION = Table(
    [
        ("{area} Early Help Hub", 30.0),
        ("{area} Family Centre", 20.0),
        ("School", 25.0),
        ("Health Visiting Service", 10.0),
        ("Youth Support Service", 8.0),
        ("Voluntary sector partner", 7.0),
    ]
)


def earlier_working_day(day: dt.date) -> dt.date:
    """The day itself on a weekday, otherwise the Friday before (never later, never past as-at)."""
    weekday = day.weekday()
    return day - dt.timedelta(days=weekday - 4) if weekday >= 5 else day


def working_day_between(dice: Dice, first: dt.date, last: dt.date) -> dt.date:
    day = on_weekday(dice.day_between(first, last))
    return day if day <= last else earlier_working_day(last)


def assessment_working_days(dice: Dice) -> int:
    low, high = dice.pick(ASSESSMENT_WORKING_DAYS)
    return dice.whole(low, high - 1)


def referrals_in_last_12_months(dice: Dice, *, after_nfa: bool = False) -> int:
    return 1 + dice.pick(PRIOR_REFERRALS_AFTER_NFA if after_nfa else PRIOR_REFERRALS)


def add_contact(
    journey: Journey, dice: Dice, period: Period, day: dt.date, source: str | None = None
) -> None:
    if period.in_six_months(day):
        journey.add(1, {"contact_date": day, "contact_source": source or dice.pick(CONTACT_SOURCE)})


def add_early_help(journey: Journey, dice: Dice, period: Period, start: dt.date, area: str) -> None:
    """An early help assessment started on ``start``; most finish within about two months."""
    if not period.in_six_months(start):
        return
    completed: dt.date | None = on_weekday(start + dt.timedelta(days=dice.whole(10, 70)))
    if completed is not None and (completed > period.as_at or dice.chance(0.12)):
        completed = None
    organisation = dice.pick(EARLY_HELP_ORGANISATION).format(area=area)
    journey.add(
        2,
        {
            "assessment_start_date": start,
            "assessment_completion_date": completed,
            "assessment_organisation": organisation,
        },
    )


def add_referral(
    journey: Journey,
    dice: Dice,
    period: Period,
    day: dt.date,
    allocation: Allocation,
    *,
    nfa: bool = False,
    count: int | None = None,
    with_contact: bool = True,
) -> int:
    """A referral (and the contact that led to it); returns its count of referrals in 12 months."""
    source = dice.pick(REFERRAL_SOURCE)
    if with_contact:
        # Most contacts become referrals the same day; some after a day or two of enquiries.
        lag = 0 if dice.chance(0.65) else dice.whole(1, 3)
        add_contact(journey, dice, period, day - dt.timedelta(days=lag), source)
    if count is None:
        count = referrals_in_last_12_months(dice, after_nfa=nfa)
    if period.in_six_months(day):
        journey.add(
            3,
            {
                "referral_date": day,
                "referral_source": source,
                "referral_nfa": "Y" if nfa else "N",
                "referrals_last_12_months": count,
                **allocation,
            },
        )
    return count


def add_assessment(
    journey: Journey,
    period: Period,
    start: dt.date,
    allocation: Allocation,
    *,
    authorised: dt.date | None,
    seen: str | None,
    requires_support: str | None,
) -> None:
    """A continuous assessment, listed when it was open at any time in the six months."""
    if authorised is not None and authorised > period.as_at:
        authorised = None
    if start > period.as_at:
        return
    if authorised is not None and authorised < period.six_months_start:
        return
    journey.add(
        4,
        {
            "assessment_start_date": start,
            "child_seen_during_assessment": seen,
            "assessment_authorised_date": authorised,
            "requires_social_care_support": requires_support if authorised else None,
            **allocation,
        },
    )


def add_enquiry(
    journey: Journey,
    period: Period,
    start: dt.date,
    allocation: Allocation,
    *,
    conference: dt.date | None,
    conference_needed: bool | None,
    plan: bool | None,
    prior_enquiries: int = 0,
    prior_conferences: int = 0,
) -> None:
    """A section 47 enquiry from the strategy discussion that started it, with its ICPC."""
    if not period.in_six_months(start):
        return
    held = conference is not None and conference <= period.as_at
    journey.add(
        5,
        {
            "s47_start_date": start,
            "icpc_not_required": None
            if conference_needed is None
            else ("N" if conference_needed else "Y"),
            "icpc_date": conference if held else None,
            "icpc_resulted_in_cp_plan": None if not held or plan is None else "Y" if plan else "N",
            "s47_count_last_12_months": 1 + prior_enquiries,
            "icpc_count_last_12_months": prior_conferences + (1 if held else 0),
            **allocation,
        },
    )


def add_cin_episode(
    journey: Journey,
    period: Period,
    start: dt.date,
    allocation: Allocation,
    *,
    need: str | None,
    last_seen: dt.date | None,
    status: str,
    closed: dt.date | None = None,
    reason: str | None = None,
) -> None:
    """The child in need episode: open at the return's date, or closed within the six months."""
    if closed is not None and closed < period.six_months_start:
        return
    journey.add(
        6,
        {
            "cin_start_date": start,
            "primary_need": need,
            "last_seen_date": last_seen,
            "cin_closure_date": closed,
            "closure_reason": reason,
            "case_status": "CLOSED" if closed is not None else status,
            **allocation,
        },
    )


def _conference_gap(dice: Dice) -> int:
    """Working days from strategy discussion to ICPC: mostly within the 15-day standard."""
    return dice.whole(6, 15) if dice.chance(0.82) else dice.whole(16, 30)


def conference_after(dice: Dice, strategy: dt.date) -> dt.date:
    return add_working_days(strategy, _conference_gap(dice))


def strategy_before(dice: Dice, conference: dt.date) -> dt.date:
    return add_working_days(conference, -_conference_gap(dice))
