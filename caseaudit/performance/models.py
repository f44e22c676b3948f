"""What the indicators need besides case data: the child population rates are per 10,000 of."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from caseaudit.performance.choices import Comparator, EthnicGroup, TrackerEvent


class ChildPopulation(models.Model):
    """Children aged 0 to 17 living in the council's area in a year (the ONS mid-year
    estimate, as the DfE uses for its rates). Annex A does not carry it, so it is entered."""

    council = models.ForeignKey(
        "organisation.Council", on_delete=models.CASCADE, related_name="child_populations"
    )
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["council", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_population_a_year"),
            models.CheckConstraint(
                condition=models.Q(children__gte=1), name="child_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.children:,} children aged 0 to 17 in {self.year}"


class EthnicPopulation(models.Model):
    """Children aged 0 to 17 in the council's area in one ethnic group in a year (the census,
    or the council's own estimate), for disproportionality: each group's rate per 10,000
    children. Annex A does not carry it, so it is entered or imported from CSV
    (``performance/disproportionality.py`` documents the layout)."""

    council = models.ForeignKey(
        "organisation.Council", on_delete=models.CASCADE, related_name="ethnic_populations"
    )
    year = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=20, choices=EthnicGroup.choices)
    children = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["council", "-year", "group"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "group"], name="one_ethnic_population_a_year"
            ),
            models.CheckConstraint(
                condition=models.Q(children__gte=1), name="ethnic_population_positive"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.council}: {self.children:,} {self.get_group_display()} children in {self.year}"
        )


class Benchmark(models.Model):
    """A published figure to set the council's beside: the median of its 10 statistical
    neighbours, its region's or England's, for one indicator and year. Entered or imported
    from CSV (``performance/benchmarks.py`` documents the layout)."""

    council = models.ForeignKey(
        "organisation.Council", on_delete=models.CASCADE, related_name="benchmarks"
    )
    indicator = models.CharField(max_length=60)
    # The year the reporting year ends in: 2024 is April 2023 to March 2024.
    year = models.PositiveSmallIntegerField()
    comparator = models.CharField(max_length=30, choices=Comparator.choices)
    value = models.DecimalField(max_digits=10, decimal_places=1)

    class Meta:
        ordering = ["indicator", "-year", "comparator"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "indicator", "year", "comparator"],
                name="one_benchmark_per_comparator_a_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.get_comparator_display()}: {self.value}"


class TrackerImport(models.Model):
    """One tracker events CSV that added events: who imported it, when, and what it added.
    The same file again is recognised by its SHA-256 and writes nothing, not even this."""

    council = models.ForeignKey(
        "organisation.Council", on_delete=models.CASCADE, related_name="tracker_imports"
    )
    source_name = models.CharField(max_length=255)
    source_sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows_read = models.PositiveIntegerField()
    events_added = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "source_sha256"], name="tracker_file_imported_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.events_added} events added)"


class PracticeEvent(models.Model):
    """A dated practice event for a child that Annex A does not carry (a permanence planning
    meeting, a family group conference, a missing episode, a strategy meeting, a core group),
    as imported from a tracker events CSV. An event is a fact: importing it again adds
    nothing, so a child has at most one event of a kind on a day."""

    council = models.ForeignKey("organisation.Council", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("cases.Child", on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=30, choices=TrackerEvent.choices)
    date = models.DateField()
    imported_by = models.ForeignKey(TrackerImport, on_delete=models.PROTECT, related_name="events")

    class Meta:
        ordering = ["child", "date", "event"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "event", "date"], name="one_practice_event_a_day"
            )
        ]
        indexes = [models.Index(fields=["council", "event", "date"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()} on {self.date:%-d %B %Y}"
