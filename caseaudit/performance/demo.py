"""The demo council's child population, so its rates per 10,000 have a figure."""

from caseaudit.performance.models import ChildPopulation

# The seeds' council: about 259,000 children aged 0 to 17 (seed 002: 1,004 looked after is
# 38 per 10,000). The generator's scale-1 council is shaped on it.
DEMO_CHILD_POPULATION = 259_000


def ensure_population(council, year: int, children: int = DEMO_CHILD_POPULATION) -> None:
    ChildPopulation.objects.get_or_create(
        council=council, year=year, defaults={"children": children}
    )
