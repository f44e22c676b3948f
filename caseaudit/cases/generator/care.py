"""Children looked after and care leavers: legal status, reviews, visits, placements, missing.

Placement stability follows seed 000: of 972 children looked after, 75 (7.7%) had three or more
placements in twelve months, and three in four of those were teenagers (13-17), with 16% aged
6-12 and 9% aged 0-5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caseaudit.core.months import add_months

from .dice import Dice, Table
from .period import Period, add_working_days, on_weekday

__all__ = ["Places", "care_leaver_record", "looked_after_record"]

# Chance of 3+ placements in twelve months by age band at the return's date (see module doc).
UNSTABLE_BY_AGE = ((6.0, 0.025), (13.0, 0.045), (18.0, 0.12))
MORE_PLACEMENTS = Table([(3, 55.0), (4, 25.0), (5, 10.0), (6, 6.0), (7, 3.0), (8, 1.0)])
TWO_PLACEMENTS = 0.2

FOSTER_PLACEMENT = Table(
    [("U1", 9.0), ("U2", 1.0), ("U3", 7.0), ("U4", 30.0), ("U5", 1.0), ("U6", 52.0)]
)
# Where looked-after children live, by age (before 16, and 16-17).
PLACEMENT_UNDER_16 = Table(
    [("FOSTER", 82.0), ("K2", 7.0), ("P1", 6.5), ("R1", 1.0), ("S1", 1.5), ("Z1", 1.0), ("K1", 0.5)]
)
PLACEMENT_16_17 = Table(
    [("FOSTER", 52.0), ("H5", 24.0), ("K2", 15.0), ("P1", 3.0), ("P2", 2.0), ("R5", 1.0)]
)
PLACEMENT_UNSTABLE = Table([("FOSTER", 45.0), ("K2", 30.0), ("H5", 20.0), ("K1", 5.0)])
PROVIDER = {
    "U1": Table([("PR1", 92.0), ("PR4", 8.0)]),
    "U2": Table([("PR1", 100.0)]),
    "U3": Table([("PR1", 95.0), ("PR4", 5.0)]),
    "U4": Table([("PR1", 52.0), ("PR4", 40.0), ("PR5", 8.0)]),
    "U5": Table([("PR1", 70.0), ("PR4", 30.0)]),
    "U6": Table([("PR1", 50.0), ("PR4", 42.0), ("PR5", 8.0)]),
    "K1": Table([("PR2", 60.0), ("PR3", 40.0)]),
    "K2": Table([("PR4", 80.0), ("PR1", 14.0), ("PR5", 6.0)]),
    "H5": Table([("PR4", 70.0), ("PR1", 20.0), ("PR5", 10.0)]),
    "P1": Table([("PR0", 100.0)]),
    "P2": Table([("PR1", 100.0)]),
    "R1": Table([("PR4", 70.0), ("PR5", 30.0)]),
    "R5": Table([("PR3", 100.0)]),
    "S1": Table([("PR4", 60.0), ("PR5", 40.0)]),
    "Z1": Table([("PR4", 60.0), ("PR1", 40.0)]),
    "A5": Table([("PR1", 75.0), ("PR2", 10.0), ("PR5", 15.0)]),
    "A6": Table([("PR1", 60.0), ("PR2", 15.0), ("PR5", 25.0)]),
}
# Regulated settings have an Ofsted URN; foster homes and family placements do not.
HAS_URN = frozenset({"K1", "K2", "R1", "S1"})
OUT_OF_AREA = {"PR0": 0.1, "PR1": 0.12, "PR2": 0.9, "PR3": 0.7, "PR4": 0.55, "PR5": 0.45}

CATEGORY_OF_NEED = Table(
    [("N1", 66.0), ("N2", 3.0), ("N3", 4.0), ("N4", 8.0), ("N5", 12.0), ("N6", 3.0), ("N8", 4.0)]
)
MISSING_BY_AGE = ((11.0, 0.005), (13.0, 0.07), (18.0, 0.22))
MISSING_EPISODES = Table(
    [((1, 1), 35.0), ((2, 2), 20.0), ((3, 5), 25.0), ((6, 15), 15.0), ((16, 40), 5.0)]
)

ELIGIBILITY_ADULT = Table([("FORMER_RELEVANT", 92.0), ("QUALIFYING", 8.0)])
IN_TOUCH = Table([("YES", 89.0), ("NO", 5.0), ("REFU", 3.0), ("NREQ", 2.0), ("RHOM", 1.0)])
ACCOMMODATION = Table(
    [
        ("U", 30.0),
        ("D", 19.0),
        ("Z", 11.0),
        ("B", 10.0),
        ("E", 6.0),
        ("T", 3.0),
        ("K", 3.0),
        ("C", 2.0),
        ("X", 2.0),
        ("Y", 5.0),
        ("S", 1.0),
        ("W", 1.0),
        ("V", 1.0),
        ("G", 1.0),
    ]
)
UNSUITABLE = frozenset({"S", "W", "V"})
ACTIVITY = Table(
    [
        ("F1", 8.0),
        ("P1", 1.0),
        ("F2", 20.0),
        ("P2", 3.0),
        ("F3", 18.0),
        ("P3", 10.0),
        ("G4", 10.0),
        ("G5", 22.0),
        ("G6", 8.0),
    ]
)
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters real inward codes use


@dataclass(frozen=True)
class Places:
    """The council's own place name and postcode area, and the councils around it."""

    home: str
    postcode_area: str
    neighbours: tuple[str, ...]

    def postcode(self, dice: Dice, *, away: bool) -> str:
        area = "ZY" if away else self.postcode_area
        letters = _POSTCODE_LETTERS
        return (
            f"{area}{dice.whole(1, 29)} {dice.whole(1, 9)}"
            f"{letters[dice.whole(0, len(letters) - 1)]}{letters[dice.whole(0, len(letters) - 1)]}"
        )


def _by_age(table: tuple[tuple[float, float], ...], age: float) -> float:
    return next((chance for upper, chance in table if age < upper), table[-1][1])


def _legal_status(dice: Dice, days: int, age: float, uasc: bool) -> str:
    if uasc:
        return "V2" if dice.chance(0.9) else "C2"
    if days < 14:
        return dice.pick(Table([("L1", 3.0), ("L2", 2.0), ("V2", 55.0), ("C1", 40.0)]))
    teenager = age >= 15
    if days < 120:
        return dice.pick(Table([("V2", 60.0 if teenager else 35.0), ("C1", 60.0), ("J1", 2.0)]))
    if days < 365:
        return dice.pick(
            Table([("V2", 45.0 if teenager else 22.0), ("C1", 35.0), ("C2", 40.0), ("J1", 1.5)])
        )
    return dice.pick(
        Table([("C2", 72.0), ("V2", 25.0 if teenager else 14.0), ("C1", 4.0), ("J1", 1.0)])
    )


def _legal_status_start(dice: Dice, status: str, start: dt.date, until: dt.date) -> dt.date:
    span = (until - start).days
    if status == "C2":
        return start + dt.timedelta(days=min(span, dice.whole(90, 330)))
    if status == "E1":
        return start + dt.timedelta(days=min(span, dice.whole(240, 600)))
    if status == "C1" and dice.chance(0.3):
        return start + dt.timedelta(days=min(span, dice.whole(1, 60)))
    return start


def _permanence(dice: Dice, status: str, age: float, days: int) -> str | None:
    if days < 90 and dice.chance(0.6):
        return None  # not yet set: the second review is where it should be decided
    if status == "E1":
        return "ADOPTION"
    if status == "V2":
        choices = [("RETURN_TO_FAMILY", 45.0), ("LT_FOSTERING", 22.0), ("OTHER", 6.0)]
    elif age < 5:
        choices = [("RETURN_TO_FAMILY", 25.0), ("ADOPTION", 30.0), ("SGO_CAO", 25.0)]
        choices.append(("LT_FOSTERING", 20.0))
    else:
        choices = [("RETURN_TO_FAMILY", 10.0), ("LT_FOSTERING", 55.0), ("SGO_CAO", 12.0)]
        choices += [("LT_RESIDENTIAL", 7.0), ("OTHER", 4.0)]
    if age >= 16:
        choices.append(("SUPPORTED_LIVING", 30.0))
    return dice.pick(Table(choices))


def _last_review(dice: Dice, start: dt.date, until: dt.date) -> dt.date | None:
    """First review within 20 working days, the second three months on, then six-monthly."""
    review = add_working_days(start, dice.whole(12, 20))
    if review > until:
        return None
    step = 3
    while True:
        following = on_weekday(add_months(review, step) - dt.timedelta(days=dice.whole(0, 14)))
        if following > until:
            break
        review, step = following, 6
    if dice.chance(0.07) and review > start + dt.timedelta(days=200):
        review = on_weekday(add_months(review, -6))  # the latest review is overdue
    return review


def _recently(dice: Dice, start: dt.date, until: dt.date, days: tuple[int, int]) -> dt.date:
    """A date up to ``days`` before ``until``, never before ``start``."""
    day = until - dt.timedelta(days=dice.whole(*days))
    return max(day, start)


def _placement_type(dice: Dice, age: float, *, unstable: bool) -> str:
    if unstable and age >= 10:
        kind = dice.pick(PLACEMENT_UNSTABLE)
    elif age < 16:
        kind = dice.pick(PLACEMENT_UNDER_16)
    else:
        kind = dice.pick(PLACEMENT_16_17)
    if kind == "H5" and age < 16:
        kind = "FOSTER"
    if kind in ("K2", "S1", "K1", "R1") and age < 8:
        kind = "FOSTER"
    return dice.pick(FOSTER_PLACEMENT) if kind == "FOSTER" else kind


def looked_after_record(
    dice: Dice,
    period: Period,
    places: Places,
    *,
    start: dt.date,
    age: float,
    uasc: bool,
    ceased: dt.date | None = None,
    reason: str | None = None,
    legal_status: str | None = None,
    permanence: str | None = None,
    placement_type: str | None = None,
    placement_start: dt.date | None = None,
) -> dict[str, object]:
    """One period of care, open at the return's date or ceased within the six months."""
    until = ceased or period.as_at
    days = (until - start).days
    status = legal_status or _legal_status(dice, days, age, uasc)
    unstable = dice.chance(_by_age(UNSTABLE_BY_AGE, age))
    if unstable:
        placements = dice.pick(MORE_PLACEMENTS)
    else:
        placements = 2 if dice.chance(TWO_PLACEMENTS) and days > 14 else 1
    year_ago = period.twelve_months_start
    if placement_start is not None:
        # A move this year means at least two placements; none means just the one.
        moved = placement_start > max(start, year_ago)
        placements = max(placements, 2) if moved else 1
    if placement_start is None:
        if placements == 1:
            # Unchanged all year: the placement began when care did, or more than a year ago.
            placement_start = start if start >= year_ago else dice.day_between(start, year_ago)
        else:
            placement_start = dice.day_between(max(start, year_ago) + dt.timedelta(days=1), until)
            placement_start = min(placement_start, until)
    kind = placement_type or _placement_type(dice, age, unstable=unstable)
    provider = dice.pick(PROVIDER.get(kind, PROVIDER["Z1"]))
    away = dice.chance(OUT_OF_AREA[provider])
    missing = 0
    if dice.chance(_by_age(MISSING_BY_AGE, age)):
        missing = dice.whole(*dice.pick(MISSING_EPISODES))
    absent = dice.whole(1, 6) if age >= 10 and dice.chance(0.04) else 0
    offered = accepted = None
    if missing:
        offered = "Y" if dice.chance(0.92) else "N"
        if offered == "Y":
            accepted = "Y" if dice.chance(0.6) else "N"
    health = None
    if days >= 28 or dice.chance(0.4):
        health = _recently(dice, start, until, (0, 330) if dice.chance(0.9) else (365, 480))
    if health is not None and 30 <= days <= 90 and start.toordinal() % 5 == 0:
        # Initial health assessments are often late: about one child in five who came into
        # care one to three months ago has not had theirs yet. Decided without the dice, so
        # every other value generated stays as it was.
        health = None
    dental = None
    if age >= 1 and dice.chance(0.9):
        dental = _recently(dice, start, until, (0, 330) if dice.chance(0.88) else (365, 480))
        if dental == start and days > 60:
            dental = None  # no check since coming into care
    return {
        "looked_after_start_date": start,
        "category_of_need": "N8" if uasc else dice.pick(CATEGORY_OF_NEED),
        "second_period_last_12_months": "Y" if dice.chance(0.05) and not uasc else "N",
        "legal_status_start_date": _legal_status_start(dice, status, start, until),
        "legal_status": status,
        "latest_review_date": _last_review(dice, start, until),
        "last_social_work_visit_date": _recently(
            dice, start, until, (0, 42) if dice.chance(0.93) else (43, 90)
        ),
        "permanence_plan": permanence or _permanence(dice, status, age, days),
        "last_iro_contact_date": _recently(dice, start, until, (0, 180)) if days >= 20 else None,
        "last_health_assessment_date": health,
        "last_dental_check_date": dental,
        "placements_last_12_months": placements,
        "ceased_looked_after_date": ceased,
        "reason_ceased": reason,
        "placement_start_date": placement_start,
        "placement_type": kind,
        "placement_provider": provider,
        "placement_postcode": places.postcode(dice, away=away) if dice.chance(0.95) else None,
        "placement_urn": f"SC{dice.whole(100000, 999999)}" if kind in HAS_URN else None,
        "placement_location": "OUT" if away else "IN",
        "placement_la": dice.choice(places.neighbours) if away else places.home,
        "missing_episodes_last_12_months": missing,
        "absent_episodes_last_12_months": absent,
        "return_interview_offered": offered,
        "return_interview_accepted": accepted,
    }


def care_leaver_record(
    dice: Dice, period: Period, *, age: float, left_care: dt.date | None = None
) -> dict[str, object]:
    """A care leaver's current situation, as their personal adviser last recorded it."""
    eligibility = "RELEVANT" if age < 18 else dice.pick(ELIGIBILITY_ADULT)
    in_touch = "YES" if left_care is not None else dice.pick(IN_TOUCH)
    earliest = left_care or period.as_at - dt.timedelta(days=700)
    if in_touch == "YES":
        contact = _recently(
            dice, earliest, period.as_at, (0, 56) if dice.chance(0.85) else (57, 120)
        )
    else:
        contact = _recently(dice, earliest, period.as_at, (90, 400))
    review = _recently(dice, earliest, period.as_at, (0, 182) if dice.chance(0.85) else (183, 300))
    accommodation = "R" if in_touch == "NO" else dice.pick(ACCOMMODATION)
    if accommodation == "X" or in_touch != "YES":
        suitability = None
    elif accommodation in UNSUITABLE:
        suitability = "UNSUITABLE"
    else:
        suitability = "SUITABLE" if dice.chance(0.95) else "UNSUITABLE"
    return {
        "eligibility": eligibility,
        "pathway_plan_review_date": review,
        "la_in_touch": in_touch,
        "latest_contact_date": contact,
        "accommodation_type": accommodation,
        "accommodation_suitability": suitability,
        "activity_status": dice.pick(ACTIVITY) if in_touch == "YES" else None,
    }
