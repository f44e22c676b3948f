"""Every change the performance app makes: benchmark figures, imported or replaced, and tracker
events, imported; each with its history in the same transaction."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.cases.models import Child
from caseaudit.core.history import record_change
from caseaudit.performance import events
from caseaudit.performance.benchmarks import BenchmarkImport, read_benchmarks
from caseaudit.performance.disproportionality import read_population
from caseaudit.performance.events import Problem
from caseaudit.performance.models import (
    Benchmark,
    EthnicPopulation,
    PracticeEvent,
    TrackerImport,
)


def import_benchmarks(council, text: str, *, by=None) -> BenchmarkImport:
    """Read the CSV (``benchmarks.py`` documents the layout) and, only if every row is good,
    write its figures: new ones created, those already there replaced."""
    figures, problems = read_benchmarks(text)
    result = BenchmarkImport(problems=problems)
    if problems:
        return result
    with transaction.atomic():
        for code, year, comparator, value in figures:
            key = {"council": council, "indicator": code, "year": year, "comparator": comparator}
            existing = Benchmark.objects.select_for_update().filter(**key).first()
            # The history keeps the figure as text: a JSON number would lose its decimal.
            after = {"indicator": code, "year": year, "comparator": comparator}
            if existing is None:
                created = Benchmark.objects.create(**key, value=value)
                after["value"] = str(value)
                record_change(created, by=by, action="created", after=after)
            elif existing.value != value:
                before = {**after, "value": str(existing.value)}
                existing.value = value
                existing.save(update_fields=["value"])
                after["value"] = str(value)
                record_change(existing, by=by, action="changed", before=before, after=after)
    result.written = len(figures)
    return result


@dataclass
class PopulationImport:
    written: int = 0
    problems: list[str] = field(default_factory=list)


def import_ethnic_population(council, text: str, *, by=None) -> PopulationImport:
    """Read the population-by-ethnicity CSV (``disproportionality.py`` documents the layout)
    and, only if every row is good, write it: new figures created, those there replaced."""
    figures, problems = read_population(text)
    result = PopulationImport(problems=problems)
    if problems:
        return result
    with transaction.atomic():
        for year, group, children in figures:
            key = {"council": council, "year": year, "group": group}
            existing = EthnicPopulation.objects.select_for_update().filter(**key).first()
            after = {"year": year, "group": group, "children": children}
            if existing is None:
                created = EthnicPopulation.objects.create(**key, children=children)
                record_change(created, by=by, action="created", after=after)
            elif existing.children != children:
                before = {**after, "children": existing.children}
                existing.children = children
                existing.save(update_fields=["children"])
                record_change(existing, by=by, action="changed", before=before, after=after)
    result.written = len(figures)
    return result


@dataclass
class TrackerEventsImported:
    """What an events import did: every problem (nothing written), or how many were added."""

    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    added: int = 0
    # The same file (byte for byte) was imported before: nothing was read into the database.
    same_file: bool = False


def import_tracker_events(
    council, data: bytes, *, source_name: str, by=None, today: datetime.date | None = None
) -> TrackerEventsImported:
    """Read the events CSV (``events.py`` documents the layout) and, only if every row is
    good, add the events the council does not already hold, recorded against this import in
    the same transaction. The same file again, or rows already held, change nothing."""
    result = TrackerEventsImported()
    if len(data) > events.MAX_BYTES:
        result.problems.append(events.Problem(0, "", "The file must be smaller than 5 MB"))
        return result
    text = events.decode(data)
    if text is None:
        result.problems.append(events.Problem(0, "", "The file must be a CSV saved as UTF-8"))
        return result
    sha256 = hashlib.sha256(data).hexdigest()
    if TrackerImport.objects.filter(council=council, source_sha256=sha256).exists():
        result.same_file = True
        return result
    read = events.read_events(text, today=today or timezone.localdate())
    result.problems = read.problems
    ids = {child_id for _number, child_id in read.named}
    children = dict(
        Child.objects.filter(council=council, la_child_id__in=ids).values_list("la_child_id", "pk")
    )
    for number, child_id in read.named:
        if child_id not in children:
            result.problems.append(
                events.Problem(
                    number,
                    "la_child_id",
                    f"There is no child with LA child ID '{child_id}' in the case data",
                )
            )
    if result.problems:
        order = {"": 0, **{column: n for n, column in enumerate(events.COLUMNS, start=1)}}
        result.problems.sort(key=lambda problem: (problem.row, order.get(problem.column, 9)))
        return result
    result.rows_read = len(read.rows)
    wanted = {(children[row.la_child_id], row.event, row.date) for row in read.rows}
    with transaction.atomic():
        held = set(
            PracticeEvent.objects.filter(
                council=council, child_id__in=set(children.values())
            ).values_list("child_id", "event", "date")
        )
        new = sorted(wanted - held)
        result.added = len(new)
        if not new:
            return result
        try:
            with transaction.atomic():
                record = TrackerImport.objects.create(
                    council=council,
                    source_name=source_name[:255],
                    source_sha256=sha256,
                    imported_by=by if getattr(by, "is_authenticated", False) else None,
                    rows_read=result.rows_read,
                    events_added=len(new),
                )
        except IntegrityError:
            # Someone imported the same file while this one was being read.
            result.same_file, result.added = True, 0
            return result
        PracticeEvent.objects.bulk_create(
            [
                PracticeEvent(
                    council=council, child_id=child, event=event, date=day, imported_by=record
                )
                for child, event, day in new
            ],
            batch_size=1000,
            # Another import adding the same event meanwhile: it is held either way.
            ignore_conflicts=True,
        )
        record_change(
            record,
            by=by,
            action="created",
            after={
                "source_name": record.source_name,
                "rows_read": record.rows_read,
                "events_added": record.events_added,
            },
        )
    return result
