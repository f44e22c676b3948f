"""A council's synthetic children, one journey at a time.

Each child's journey is built from its own seed, so it is the same whenever it is built, and
it is built once per return: its records go to every list it appears in. The cohorts are
interleaved by position, so a list reads as a mix of children rather than block after block
of one kind. Nothing is kept from one child to the next, so memory does not grow with scale.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterator
from operator import itemgetter

from caseaudit.organisation.generator import CouncilSpec

from .care import Places
from .caseloads import Caseloads, spread
from .cohorts import COHORTS, Cohort
from .context import Context, Unit
from .identifiers import child_id_space, family_id_space
from .journey import Journey, Record
from .period import Period

__all__ = ["Population"]


class Population:
    """The children of one council (``CouncilSpec``) at a scale, as at a date."""

    def __init__(
        self,
        council: CouncilSpec,
        *,
        seed: int,
        scale: float,
        as_at: dt.date,
        places: Places,
    ) -> None:
        self.council = council
        self.sizes = {cohort.number: cohort.size(scale) for cohort in COHORTS}
        self.context = Context(
            period=Period(as_at),
            caseloads=Caseloads(council, seed),
            places=places,
            areas=council.areas,
            case_seed=seed,
            child_ids=child_id_space(seed),
            family_ids=family_id_space(seed),
        )
        next_child = next_family = 0
        for cohort in COHORTS:
            size = self.sizes[cohort.number]
            self.context.child_slots[cohort.number] = (next_child, cohort.children_per_unit)
            self.context.family_slots[cohort.number] = (next_family, cohort.families_per_unit)
            next_child += size * cohort.children_per_unit
            next_family += size * cohort.families_per_unit
        if next_child > self.context.child_ids.size:
            raise ValueError(f"scale {scale} needs more child IDs than seven digits allow")

    def journeys(self, list_number: int | None = None) -> Iterator[Journey]:
        """Every child's journey once (or only those of cohorts that can reach one list),
        the cohorts interleaved by position."""
        streams = [
            self._stream(cohort)
            for cohort in COHORTS
            if self.sizes[cohort.number] and (list_number is None or list_number in cohort.lists)
        ]
        for _position, journey in heapq.merge(*streams, key=itemgetter(0)):
            yield journey

    def rows(self, list_number: int) -> Iterator[Record]:
        """One list's rows, in the order the return lists them."""
        for journey in self.journeys(list_number):
            yield from journey.rows(list_number)

    def _stream(self, cohort: Cohort) -> Iterator[tuple[float, Journey]]:
        size = self.sizes[cohort.number]
        # A different phase per cohort, so cohorts do not all favour the same workers.
        phase = (cohort.number * 0.1372) % 1.0
        build, context, number = cohort.build, self.context, cohort.number
        for index in range(size):
            key = (index + 0.5) / size
            for journey in build(Unit(context, number, index, spread(phase, index))):
                yield key, journey
