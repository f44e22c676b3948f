"""Children with a plan for adoption, and adopters."""

from __future__ import annotations

import datetime as dt

from ..adoption import (
    WITH_FAMILY,
    AdoptionTimeline,
    adopter_records,
    adoption_record,
    adoption_timeline,
    prospective_adopter_records,
)
from ..care import looked_after_record
from ..caseloads import Allocation
from ..context import Context, Unit
from ..dice import Dice
from ..journey import Journey
from ..people import (
    AGE_ADOPTED,
    new_child,
)
from .steps import (
    LOOKED_AFTER,
    add_care,
)

__all__ = ["adoption", "prospective_adopters"]

# --- cohorts: adoption --------------------------------------------------------------------


def adoption(unit: Unit) -> list[Journey]:
    """One child or a pair of siblings with a plan for adoption, and (when the council's own)
    the family that adopts them."""
    context, dice, position = unit.context, unit.dice, unit.position
    period = context.period
    timeline = adoption_timeline(dice, period)
    siblings = 2 if dice.chance(0.18) else 1
    # Many children are matched with another agency's adopters, who are not in List 11.
    own_adopters = timeline.stage in WITH_FAMILY and dice.chance(0.45)
    family_id = unit.family_id() if own_adopters else None
    allocation = context.caseloads.worker(LOOKED_AFTER, position)
    journeys = []
    for slot in range(siblings):
        at_entry = 0 if dice.chance(0.4) else dice.whole(30, 1100)
        born = timeline.entered_care - dt.timedelta(days=at_entry + slot * dice.whole(400, 900))
        child = new_child(dice, unit.child_id(slot), period.as_at, AGE_ADOPTED, date_of_birth=born)
        journey = Journey(child)
        journey.add(10, adoption_record(timeline, family_id))
        age = float(child["age"])  # type: ignore[arg-type]
        if timeline.stage == "ADOPTED":
            record = looked_after_record(
                dice,
                period,
                context.places,
                start=timeline.entered_care,
                age=age,
                uasc=False,
                ceased=timeline.adoption_order,
                reason="E11" if dice.chance(0.75) else "E12",
                legal_status="E1",
                permanence="ADOPTION",
                placement_type="A5" if timeline.fostering_for_adoption else "A6",
                placement_start=timeline.placed,
            )
            add_care(
                journey,
                dice,
                context,
                timeline.entered_care,
                record,
                allocation,
                closed=timeline.adoption_order,
                reason="RC1",
            )
        elif timeline.still_looked_after:
            _adoption_care(journey, dice, context, timeline, allocation, age)
        journeys.append(journey)
    if family_id is not None:
        adopters = Journey(None)
        ids = [unit.family_id(1), unit.family_id(2)]
        for record in adopter_records(dice, timeline, family_id, ids, siblings):
            adopters.add(11, record)
        journeys.append(adopters)
    return journeys


def _adoption_care(
    journey: Journey,
    dice: Dice,
    context: Context,
    timeline: AdoptionTimeline,
    allocation: Allocation,
    age: float,
) -> None:
    period = context.period
    reversed_plan = timeline.stage == "REVERSED"
    legal = "E1" if timeline.placement_order and not reversed_plan else "C2"
    if timeline.placed is not None:
        placement = "A5" if timeline.fostering_for_adoption else "A6"
        placement_start = timeline.placed
    else:
        placement = "U5" if timeline.fostering_for_adoption else ("U4" if reversed_plan else "U6")
        placement_start = timeline.fostering_for_adoption
    record = looked_after_record(
        dice,
        period,
        context.places,
        start=timeline.entered_care,
        age=age,
        uasc=False,
        legal_status=legal,
        permanence=("LT_FOSTERING" if dice.chance(0.6) else "SGO_CAO")
        if reversed_plan
        else "ADOPTION",
        placement_type=placement,
        placement_start=placement_start,
    )
    add_care(journey, dice, context, timeline.entered_care, record, allocation)


def prospective_adopters(unit: Unit) -> list[Journey]:
    context, dice = unit.context, unit.dice
    family_id = unit.family_id()
    ids = [unit.family_id(1), unit.family_id(2)]
    journey = Journey(None)
    for record in prospective_adopter_records(dice, context.period, family_id, ids):
        journey.add(11, record)
    return [journey]
