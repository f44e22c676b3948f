"""What every journey needs to know about the council it happens in."""

from __future__ import annotations

from dataclasses import dataclass, field

from .care import Places
from .caseloads import SECOND_STEP, Caseloads, spread
from .dice import Dice, stream_seed
from .identifiers import IdSpace
from .period import Period

__all__ = ["Context", "Unit"]


@dataclass
class Context:
    period: Period
    caseloads: Caseloads
    places: Places
    areas: tuple[str, ...]
    case_seed: int
    child_ids: IdSpace
    family_ids: IdSpace
    # Where each cohort's children and families start in the council's ID spaces, and how
    # many IDs each unit of the cohort uses.
    child_slots: dict[int, tuple[int, int]] = field(default_factory=dict)
    family_slots: dict[int, tuple[int, int]] = field(default_factory=dict)

    def dice(self, cohort: int, index: int) -> Dice:
        return Dice(stream_seed(self.case_seed, cohort, index))

    def child_id(self, cohort: int, index: int, slot: int = 0) -> int:
        first, per_unit = self.child_slots[cohort]
        return self.child_ids(first + index * per_unit + slot)

    def family_id(self, cohort: int, index: int, slot: int = 0) -> str:
        first, per_unit = self.family_slots[cohort]
        return str(self.family_ids(first + index * per_unit + slot))

    def area(self, position: float) -> str:
        return self.areas[min(int(position * len(self.areas)), len(self.areas) - 1)]


class Unit:
    """One child of a cohort (or a sibling group, or an adoptive family), with its own dice."""

    __slots__ = ("context", "cohort", "dice", "index", "position")

    def __init__(self, context: Context, cohort: int, index: int, position: float) -> None:
        self.context = context
        self.cohort = cohort
        self.index = index
        self.position = position  # where it sits among the cohort, for allocation
        self.dice = context.dice(cohort, index)

    @property
    def second_position(self) -> float:
        """Another even spread, independent of ``position``: for a second choice that must
        also come out even (such as which of a cohort's children go on to a service)."""
        return spread(0.5, self.index, SECOND_STEP)

    def child_id(self, slot: int = 0) -> int:
        return self.context.child_id(self.cohort, self.index, slot)

    def family_id(self, slot: int = 0) -> str:
        return self.context.family_id(self.cohort, self.index, slot)
