"""Seeded randomness for synthetic councils: one stream per child, so any list can be rebuilt.

Every child (or adoptive family) draws from its own ``Dice``, seeded from the council, the
cohort and its position in the cohort. The same child is therefore the same in every list,
although each list is written in a separate pass, and nothing about a child is kept in memory
between passes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Sequence
from typing import Generic, TypeVar

__all__ = ["Dice", "Table", "stream_seed"]

T = TypeVar("T")

# Large odd multipliers keep seeds of neighbouring councils, cohorts and children apart.
_COUNCIL = 0x9E3779B97F4A7C15
_COHORT = 0xC2B2AE3D27D4EB4F


def stream_seed(council_seed: int, cohort: int, index: int) -> int:
    """The seed of one child's stream: distinct for every (council, cohort, index)."""
    return (council_seed * _COUNCIL + cohort * _COHORT) * (1 << 40) + index


class Table(Generic[T]):
    """A weighted choice, prepared once: ``Table([("a", 3), ("b", 1)])``."""

    __slots__ = ("_cumulative", "_total", "values")

    def __init__(self, weighted: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _weight in weighted]
        self._cumulative = list(itertools.accumulate(weight for _value, weight in weighted))
        self._total = self._cumulative[-1]

    def draw(self, uniform: float) -> T:
        return self.values[bisect.bisect_right(self._cumulative, uniform * self._total)]


class Dice(random.Random):
    """``random.Random`` with the few draws the generator needs, kept cheap."""

    def chance(self, probability: float) -> bool:
        return self.random() < probability

    def pick(self, table: Table[T]) -> T:
        return table.draw(self.random())

    def whole(self, low: int, high: int) -> int:
        """A whole number from low to high inclusive."""
        return low + int(self.random() * (high - low + 1))

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        """A date from first to last inclusive (first when the range is empty)."""
        span = (last - first).days
        if span <= 0:
            return first
        return first + dt.timedelta(days=self.whole(0, span))
