"""What the indicators need besides case data: the child population rates are per 10,000 of."""

from django.core.validators import MinValueValidator
from django.db import models

from caseaudit.performance.choices import Comparator


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
