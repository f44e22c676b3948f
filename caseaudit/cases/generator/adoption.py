"""Adoption: children with a plan for adoption (List 10) and the council's adopters (List 11).

A unit is one child, or a pair of siblings, at one stage of the adoption journey. Children
still looked after at the return's date also appear in Lists 6 and 8 (legal status E1 once a
placement order is made, placement A5/A6 once placed); those adopted within the six months
appear there as having ceased to be looked after (E11/E12, CIN closure RC1). When the adoptive
family is one of the council's own adopters (rather than another agency's), the family's
adults are in List 11 with the same family identifier, matching and placement dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dice import Dice, Table
from .period import Period, add_working_days, on_weekday

__all__ = [
    "ADOPTION_STAGE",
    "WITH_FAMILY",
    "AdoptionTimeline",
    "adopter_records",
    "adoption_record",
    "adoption_timeline",
    "prospective_adopter_records",
]

ADOPTION_STAGE = Table(
    [
        ("ADOPTED_EARLIER", 25.0),  # adoption order six to twelve months ago
        ("ADOPTED", 25.0),  # adoption order within the six months
        ("PLACED", 20.0),
        ("MATCHED", 8.0),
        ("AWAITING_MATCH", 15.0),
        ("REVERSED", 7.0),  # decided no longer to be placed for adoption
    ]
)
WITH_FAMILY = frozenset({"ADOPTED_EARLIER", "ADOPTED", "PLACED", "MATCHED"})
NO_LONGER_REASON = Table([("RD1", 25.0), ("RD2", 15.0), ("RD3", 30.0), ("RD4", 30.0)])
ADOPTER_GENDERS = Table([(("M", "F"), 78.0), (("F", "F"), 8.0), (("M", "M"), 6.0), (("F",), 8.0)])
ADOPTER_ETHNICITY = Table(
    [("WBRI", 84.0), ("WOTH", 4.0), ("MOTH", 3.0), ("AIND", 2.0), ("BCRB", 2.0), ("OOTH", 5.0)]
)
ADOPTER_DISABILITY = Table([("N", 95.0), ("Y", 3.0), ("U", 2.0)])
PROSPECTIVE_STAGE = Table(
    [("STAGE_1", 30.0), ("STAGE_2", 30.0), ("APPROVED", 25.0), ("LEFT", 15.0)]
)


def _days(day: dt.date, low: int, high: int, dice: Dice) -> dt.date:
    return on_weekday(day + dt.timedelta(days=dice.whole(low, high)))


@dataclass(frozen=True)
class AdoptionTimeline:
    """One unit's adoption dates; None for the steps not (yet) taken."""

    stage: str
    entered_care: dt.date
    decision: dt.date
    placement_order: dt.date | None
    matched: dt.date | None
    placed: dt.date | None
    adoption_order: dt.date | None
    stopped: dt.date | None
    stopped_reason: str | None
    fostering_for_adoption: dt.date | None

    @property
    def still_looked_after(self) -> bool:
        return self.stage not in ("ADOPTED_EARLIER", "ADOPTED")


def adoption_timeline(dice: Dice, period: Period) -> AdoptionTimeline:
    """Work back from the step that places the unit in its stage, so every date is in order."""
    stage = dice.pick(ADOPTION_STAGE)
    as_at, six, twelve = period.as_at, period.six_months_start, period.twelve_months_start
    order = placed = matched = placement_order = stopped = None
    reason = None
    if stage in ("ADOPTED_EARLIER", "ADOPTED"):
        first, last = (twelve, six - dt.timedelta(days=1)) if stage != "ADOPTED" else (six, as_at)
        order = min(on_weekday(dice.day_between(first, last)), last)
        placed = _days(order, -330, -120, dice)
    elif stage == "PLACED":
        placed = _days(as_at, -300, -14, dice)
    if placed is not None:
        matched = _days(placed, -35, -7, dice)
    elif stage == "MATCHED":
        matched = _days(as_at, -40, -5, dice)
    if matched is not None:
        placement_order = _days(matched, -300, -45, dice)
        decision = _days(placement_order, -180, -30, dice)
    elif stage == "AWAITING_MATCH":
        decision = _days(as_at, -365, -30, dice)
        placement_order = _days(decision, 30, 180, dice)
        if placement_order > as_at:
            placement_order = None
    else:  # REVERSED
        decision = _days(as_at, -700, -200, dice)
        reason = dice.pick(NO_LONGER_REASON)
        if reason != "RD2":
            placement_order = _days(decision, 30, 150, dice)
        after = max(twelve, (placement_order or decision) + dt.timedelta(days=14))
        stopped = min(on_weekday(dice.day_between(after, as_at)), as_at)
    entered = _days(decision, -300, -90, dice)
    ffa = None
    if stage in WITH_FAMILY and dice.chance(0.12):
        ffa = _days(entered, 0, 60, dice)
    return AdoptionTimeline(
        stage, entered, decision, placement_order, matched, placed, order, stopped, reason, ffa
    )


def adoption_record(timeline: AdoptionTimeline, family_id: str | None) -> dict[str, object]:
    return {
        "family_id": family_id,
        "entered_care_date": timeline.entered_care,
        "adoption_decision_date": timeline.decision,
        "placement_order_date": timeline.placement_order,
        "matching_date": timeline.matched,
        "placed_for_adoption_date": timeline.placed,
        "adoption_order_date": timeline.adoption_order,
        "adoption_stopped_date": timeline.stopped,
        "adoption_stopped_reason": timeline.stopped_reason,
        "ffa_placement_date": timeline.fostering_for_adoption,
    }


def _adopter(dice: Dice, adopter_id: str, family_id: str, gender: str) -> dict[str, object]:
    return {
        "adopter_id": adopter_id,
        "family_id": family_id,
        "gender": gender,
        "ethnicity": dice.pick(ADOPTER_ETHNICITY),
        "disability": dice.pick(ADOPTER_DISABILITY),
    }


def _assessment_dates(dice: Dice, approved: dt.date) -> dict[str, object]:
    """Stage 1 (about two months) then stage 2 (about four), ending in approval."""
    stage2_end = _days(approved, -20, 0, dice)
    stage2_start = add_working_days(stage2_end, -dice.whole(60, 95))
    stage1_end = _days(stage2_start, -40, 0, dice)
    stage1_start = add_working_days(stage1_end, -dice.whole(35, 50))
    enquiry = _days(stage1_start, -60, -7, dice)
    return {
        "enquiry_date": enquiry,
        "stage1_start_date": stage1_start,
        "stage1_end_date": stage1_end,
        "stage2_start_date": stage2_start,
        "stage2_end_date": stage2_end,
        "application_submitted_date": _days(stage2_start, 0, 10, dice),
        "application_approved_date": approved,
    }


def adopter_records(
    dice: Dice,
    timeline: AdoptionTimeline,
    family_id: str,
    adopter_ids: list[str],
    children: int,
) -> list[dict[str, object]]:
    """The council's own adopters matched with a unit's children."""
    assert timeline.matched is not None
    approved = _days(timeline.matched, -240, -30, dice)
    shared = {
        "fostering_for_adoption": "Y" if timeline.fostering_for_adoption else "N",
        **_assessment_dates(dice, approved),
        "matched_date": timeline.matched,
        "placed_date": timeline.placed,
        "children_placed": children if timeline.placed else None,
        "adoption_order_date": timeline.adoption_order,
        "left_process_date": None,
        "left_process_reason": None,
    }
    genders = dice.pick(ADOPTER_GENDERS)
    return [
        _adopter(dice, adopter_id, family_id, gender) | shared
        for adopter_id, gender in zip(adopter_ids, genders, strict=False)
    ]


def prospective_adopter_records(
    dice: Dice, period: Period, family_id: str, adopter_ids: list[str]
) -> list[dict[str, object]]:
    """Adopters in assessment, approved and waiting, or who left the process this year."""
    stage = dice.pick(PROSPECTIVE_STAGE)
    as_at = period.as_at
    if stage == "APPROVED":
        dates = _assessment_dates(dice, _days(as_at, -300, -10, dice))
    else:
        dates = _assessment_dates(dice, _days(as_at, 30, 200, dice))
        cutoff = as_at if stage != "LEFT" else _days(as_at, -330, -5, dice)
        dates = {name: day if day <= cutoff else None for name, day in dates.items()}
        if stage == "STAGE_1" and dates["stage1_start_date"] is None:
            dates["stage1_start_date"] = _days(as_at, -40, -3, dice)
            dates["enquiry_date"] = _days(dates["stage1_start_date"], -40, -5, dice)
    left = None
    if stage == "LEFT":
        if dates["enquiry_date"] is None:
            dates["enquiry_date"] = cutoff
        known = [day for day in dates.values() if day is not None]
        left = min(max(known) + dt.timedelta(days=dice.whole(1, 20)), as_at)
    shared = {
        "fostering_for_adoption": "Y" if dice.chance(0.1) else "N",
        **dates,
        "matched_date": None,
        "placed_date": None,
        "children_placed": None,
        "adoption_order_date": None,
        "left_process_date": left,
        "left_process_reason": str(dice.whole(1, 4)) if left else None,
    }
    genders = dice.pick(ADOPTER_GENDERS)
    return [
        _adopter(dice, adopter_id, family_id, gender) | shared
        for adopter_id, gender in zip(adopter_ids, genders, strict=False)
    ]
