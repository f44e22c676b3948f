"""What the indicators need besides case data: the child population rates are per 10,000 of."""

from django.core.validators import MinValueValidator
from django.db import models


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
