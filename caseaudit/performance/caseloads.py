"""Caseloads: how many children each worker holds at a snapshot's date.

DESIGN.md's definition: open cases allocated to a worker at the date, counted in children, not
episodes. A child open on several lists is held once, by the worker of the list that decides
allocation, in the importer's order (``cases.importer.ALLOCATION_PRIORITY``): looked after,
then a child protection plan, then child in need, then care leaver (their personal adviser,
or the allocated worker when none is named), then an open assessment.

The database finds each child's worker (one subquery per list, through the (snapshot, child)
index) and counts children per worker in one grouped query; Python then only sees one number
per worker, for the median and the distribution.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from caseaudit.cases.models import (
    Assessment,
    CareLeaver,
    Child,
    CINEpisode,
    CLAEpisode,
    CPPlan,
    Snapshot,
)
from caseaudit.organisation.choices import ServiceKind
from caseaudit.organisation.models import Assignment

# The caseload above which a worker is flagged, by the kind of service their team is in. The
# seeds' council: assessment workers at 25 and more are a concern, personal advisers at 20 and
# more, and a child protection or looked-after social worker with more than 15 "an exception".
THRESHOLDS = {ServiceKind.ASSESSMENT: 25, ServiceKind.CARE_LEAVERS: 20}
DEFAULT_THRESHOLD = 15
BANDS = ((1, 10), (11, 15), (16, 20), (21, 25), (26, 30), (31, 40), (41, None))


@dataclass
class Caseloads:
    children: int = 0
    workers: int = 0
    mean: float | None = None
    median: float | None = None
    # (label, workers) for each band of caseload.
    distribution: list[tuple[str, int]] = field(default_factory=list)
    # (service, threshold, workers holding cases, workers above the threshold)
    by_service: list[tuple[str, int, int, int]] = field(default_factory=list)

    @property
    def over_threshold(self) -> int:
        return sum(over for _service, _threshold, _workers, over in self.by_service)

    def as_json(self) -> dict:
        """The three caseload figures, in the shape ``caseaudit indicators --json`` prints."""
        return {
            "caseload_mean": {
                "value": self.mean,
                "numerator": self.children,
                "denominator": self.workers,
                "definition": "Children with an open case allocated to a worker at the date, "
                "divided by the workers holding at least one.",
            },
            "caseload_median": {
                "value": self.median,
                "numerator": None,
                "denominator": None,
                "definition": "The middle caseload of the workers holding at least one child "
                "at the date.",
            },
            "caseload_workers_over_threshold": {
                "value": self.over_threshold,
                "numerator": self.over_threshold,
                "denominator": self.workers,
                "definition": "Workers holding more children than their service's threshold "
                f"(assessment {THRESHOLDS[ServiceKind.ASSESSMENT]}, care leavers "
                f"{THRESHOLDS[ServiceKind.CARE_LEAVERS]}, others {DEFAULT_THRESHOLD}).",
            },
        }


def _worker_on(model, snapshot: Snapshot, condition: Q, worker=None):
    rows = model.objects.filter(condition, snapshot=snapshot, child=OuterRef("pk"))
    held = worker if worker is not None else F("allocated_worker_id")
    return Subquery(rows.order_by("row_number").annotate(held_by=held).values("held_by")[:1])


def _open(start: str, end: str, as_at) -> Q:
    return Q(**{f"{start}__lte": as_at}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": as_at})
    )


def held_by(snapshot: Snapshot):
    """The council's children, each with the worker holding their case at the date (None for
    a child with no open case or no worker named)."""
    as_at = snapshot.as_at
    return Child.objects.filter(council_id=snapshot.council_id).annotate(
        held_by=Coalesce(
            _worker_on(
                CLAEpisode,
                snapshot,
                _open("looked_after_start_date", "ceased_looked_after_date", as_at),
            ),
            _worker_on(CPPlan, snapshot, _open("cp_plan_start_date", "cp_plan_end_date", as_at)),
            _worker_on(CINEpisode, snapshot, _open("cin_start_date", "cin_closure_date", as_at)),
            _worker_on(
                CareLeaver,
                snapshot,
                Q(),
                worker=Coalesce("personal_adviser_id", "allocated_worker_id"),
            ),
            _worker_on(
                Assessment,
                snapshot,
                _open("assessment_start_date", "assessment_authorised_date", as_at),
            ),
        )
    )


def _round(value) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def caseloads(snapshot: Snapshot) -> Caseloads:
    per_worker = dict(
        held_by(snapshot)
        .filter(held_by__isnull=False)
        .values("held_by")
        .annotate(children=Count("pk"))
        .order_by()
        .values_list("held_by", "children")
    )
    result = Caseloads()
    if not per_worker:
        return result
    counts = list(per_worker.values())
    result.children, result.workers = sum(counts), len(counts)
    result.mean = _round(Decimal(result.children) / Decimal(result.workers))
    result.median = _round(statistics.median(counts))
    for low, high in BANDS:
        label = f"{low} to {high}" if high else f"{low} or more"
        result.distribution.append(
            (label, sum(1 for n in counts if n >= low and (high is None or n <= high)))
        )
    # Each worker's service on the date, from their assignment then.
    services = dict(
        Assignment.objects.current(snapshot.as_at)
        .filter(worker_id__in=per_worker)
        .values_list("worker_id", "team__service__kind")
    )
    names = dict(ServiceKind.choices)
    by_kind: dict[str, list[int]] = {}
    for worker_id, children in per_worker.items():
        by_kind.setdefault(services.get(worker_id) or "", []).append(children)
    for kind, loads in sorted(by_kind.items(), key=lambda item: names.get(item[0], "~")):
        threshold = THRESHOLDS.get(kind, DEFAULT_THRESHOLD)
        over = sum(1 for n in loads if n > threshold)
        result.by_service.append((names.get(kind, "No current team"), threshold, len(loads), over))
    return result
