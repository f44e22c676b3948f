"""Configuration the compendium needs: the child population and benchmark figures (entered
here, or benchmarks imported with `caseaudit benchmarks FILE`). Each administrator keeps to
their own council's, as everywhere in the admin."""

from django.contrib import admin

from caseaudit.core.admin import ConfigurationAdmin
from caseaudit.performance.models import Benchmark, ChildPopulation


@admin.register(ChildPopulation)
class ChildPopulationAdmin(ConfigurationAdmin):
    list_display = ["council", "year", "children"]


@admin.register(Benchmark)
class BenchmarkAdmin(ConfigurationAdmin):
    list_display = ["indicator", "year", "comparator", "value", "council"]
    list_filter = ["comparator", "year"]
    search_fields = ["indicator"]
