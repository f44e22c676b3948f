"""The council's children, in cohorts by where they are at the return's date.

Sizes are for one council like Surrey at scale 1 (seeds 000 and 002): about 1,000 children
looked after, 800 on CP plans, 2,200 open assessments, 600 care leavers, 6,000 referrals and
18,000 contacts in six months. Each cohort's journey says which lists its children appear in;
a child on a CP plan, for instance, is in List 7, in List 6 with case status CP, and in
Lists 1, 3, 4 and 5 when their contact, referral, assessment and enquiry fall in the window.

Open cases are what make caseloads, so the open cohorts are sized to the seeds' caseloads for
the demo council's workforce: assessment workers about 31 each (26-38), personal advisers
about 18, others 8-14, an average of about 17 across all practitioners.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..context import Unit
from ..journey import Journey
from .adoptions import adoption, prospective_adopters
from .arrivals import assessed_and_closed, contact_only, early_help, open_assessment, referral_nfa
from .in_care import care_leaver, left_care, looked_after, protected_then_looked_after
from .in_need import (
    child_in_need_closed,
    child_in_need_plan,
    child_protection,
    child_protection_ended,
)

__all__ = ["COHORTS", "Cohort"]

Build = Callable[[Unit], list[Journey]]


@dataclass(frozen=True)
class Cohort:
    number: int  # part of every child's seed: never renumber a cohort
    name: str
    at_scale_one: int  # units (children, or adoption units) for one Surrey-sized council
    lists: frozenset[int]
    build: Build
    children_per_unit: int = 1
    families_per_unit: int = 0

    def size(self, scale: float) -> int:
        return round(self.at_scale_one * scale)


def _lists(*numbers: int) -> frozenset[int]:
    return frozenset(numbers)


COHORTS: tuple[Cohort, ...] = (
    Cohort(1, "contacts only", 9_500, _lists(1), contact_only),
    Cohort(2, "early help", 1_700, _lists(1, 2), early_help),
    Cohort(3, "referral, no further action", 600, _lists(1, 3, 6), referral_nfa),
    Cohort(4, "assessed and closed", 2_900, _lists(1, 2, 3, 4, 5, 6), assessed_and_closed),
    Cohort(5, "open assessment", 2_200, _lists(1, 3, 4, 5, 6), open_assessment),
    Cohort(6, "child in need plan", 550, _lists(1, 3, 4, 5, 6), child_in_need_plan),
    Cohort(7, "child in need plan closed", 500, _lists(1, 3, 4, 5, 6), child_in_need_closed),
    Cohort(8, "child protection plan", 800, _lists(1, 3, 4, 5, 6, 7), child_protection),
    Cohort(9, "child protection plan ended", 380, _lists(1, 3, 4, 5, 6, 7), child_protection_ended),
    Cohort(10, "looked after", 955, _lists(1, 3, 4, 5, 6, 8), looked_after),
    Cohort(11, "ceased to be looked after", 250, _lists(6, 8, 9), left_care),
    Cohort(12, "care leaver", 500, _lists(9), care_leaver),
    Cohort(13, "adoption", 65, _lists(6, 8, 10, 11), adoption, 2, 3),
    Cohort(14, "prospective adopters", 12, _lists(11), prospective_adopters, 0, 3),
    Cohort(
        15,
        "child protection plan, then looked after",
        60,
        _lists(1, 3, 4, 5, 6, 7, 8),
        protected_then_looked_after,
    ),
)
