"""Caseloads: how many children each worker holds at a snapshot's date.

DESIGN.md's definition: open cases allocated to a worker at the date, counted in children, not
episodes. A child open on several lists is held once, by the worker of the list that decides
allocation, in the importer's order (``cases.importer.ALLOCATION_PRIORITY``): looked after,
then a child protection plan, then child in need, then care leaver (their personal adviser,
or the allocated worker when none is named), then an open assessment.

The database finds each child's worker (one subquery per list, through the (snapshot, child)
index) and counts children per worker in one grouped query; Python then only sees one number
per worker, for the median and the distribution.

Published (``published``: the select-committee pack, and the dashboard an elected member
reads): aggregates only, no worker named, and every count of workers from 1 to 5 hidden by
``core.suppression``, with the averages that would give a hidden count back.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from caseaudit.accounts import permissions
from caseaudit.cases.models import (
    Assessment,
    CareLeaver,
    Child,
    CINEpisode,
    CLAEpisode,
    CPPlan,
    Snapshot,
)
from caseaudit.core.suppression import (
    SUPPRESSED,
    Published,
    suppress_breakdowns,
    suppress_count,
    unsuppressed,
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
    # (service, mean caseload, lowest, highest), in the same order as ``by_service``.
    service_loads: list[tuple[str, float, int, int]] = field(default_factory=list)

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
        service = names.get(kind, "No current team")
        result.by_service.append((service, threshold, len(loads), over))
        mean = _round(Decimal(sum(loads)) / Decimal(len(loads)))
        result.service_loads.append((service, mean, min(loads), max(loads)))
    return result


@dataclass
class PublishedCaseloads:
    """Caseloads as published: any count may be ``c``, and so may what would give one back."""

    children: int | str
    workers: int | str
    mean: float | str | None
    median: float | str | None
    distribution: list[tuple[str, int | str]]
    # (service, threshold, workers holding cases, above the threshold, mean, lowest-highest)
    by_service: list[tuple[str, int, int | str, int | str, float | str, str]]
    over_threshold: int | str


def _suppress_both(bands: list[int], services: list[list[int]], hide=()) -> list[Published]:
    """The workers by band and by service: two breakdowns of the same workers (the by-service
    table also says how many are above the threshold, at most its workers)."""
    at_most = [(("column", 1), ("column", 0))] + [
        (("cell", 0, r, 1), ("cell", 0, r, 0)) for r in range(len(services))
    ]
    by_band = suppress_breakdowns([[[n] for n in bands]], rows_add_up=False, columns=1, hide=hide)[
        0
    ]
    by_service = suppress_breakdowns(
        [services], rows_add_up=False, columns=2, at_most=at_most, hide=hide
    )[0]
    return [by_band, by_service]


def published(held: Caseloads) -> PublishedCaseloads:
    """``held`` as an elected member may read it (see the module docstring). The workers'
    total is in both tables; hidden in one, it is hidden in both."""
    bands = [workers for _band, workers in held.distribution]
    services = [[workers, over] for _s, _t, workers, over in held.by_service]
    by_band, by_service = _suppress_both(bands, services)
    if SUPPRESSED in (by_band.column_totals[0], by_service.column_totals[0]):
        by_band, by_service = _suppress_both(bands, services, hide={("column", 0)})
    workers = by_band.column_totals[0] if held.distribution else held.workers
    children = suppress_count(held.children)
    # The mean and median of one to five workers' caseloads are as good as the caseloads.
    hidden = SUPPRESSED in (workers, children)
    rows = []
    for (service, threshold, workers_there, _o), cells, (_s, mean, low, high) in zip(
        held.by_service, by_service.cells, held.service_loads, strict=True
    ):
        # The average and range of one to five workers' caseloads describe each of them. Of
        # more, they give no count back (the children a service holds are not published).
        shown = suppress_count(workers_there) != SUPPRESSED
        rows.append(
            (
                service,
                threshold,
                cells[0],
                cells[1],
                mean if shown else SUPPRESSED,
                f"{low} to {high}" if shown else SUPPRESSED,
            )
        )
    return PublishedCaseloads(
        children=children,
        workers=workers,
        mean=SUPPRESSED if hidden else held.mean,
        median=SUPPRESSED if hidden else held.median,
        distribution=[
            (band, cells[0])
            for (band, _n), cells in zip(held.distribution, by_band.cells, strict=True)
        ],
        by_service=rows,
        over_threshold=by_service.column_totals[1] if held.by_service else 0,
    )


def shown_to(user, held: Caseloads) -> PublishedCaseloads:
    """``held`` as ``user`` reads it: suppressed for those who see aggregates only (elected
    members), exact for the QA service and managers, in the same shape for both."""
    if permissions.sees_aggregates_only(user):
        return published(held)
    with unsuppressed():
        return published(held)
