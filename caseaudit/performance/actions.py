"""Every change the performance app makes: benchmark figures, imported or replaced, each with
its history in the same transaction."""

from django.db import transaction

from caseaudit.core.history import record_change
from caseaudit.performance.benchmarks import BenchmarkImport, read_benchmarks
from caseaudit.performance.models import Benchmark


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
