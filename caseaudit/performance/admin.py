"""Configuration the compendium needs: the child population, overall and by ethnic group, and
benchmark figures (entered here, or imported: `caseaudit benchmarks FILE`, `caseaudit
ethnic_population FILE`). Each administrator keeps to
their own council's, as everywhere in the admin."""

from django.contrib import admin

from caseaudit.core.admin import ConfigurationAdmin
from caseaudit.performance.models import Benchmark, ChildPopulation, EthnicPopulation


@admin.register(ChildPopulation)
class ChildPopulationAdmin(ConfigurationAdmin):
    list_display = ["council", "year", "children"]


@admin.register(EthnicPopulation)
class EthnicPopulationAdmin(ConfigurationAdmin):
    list_display = ["council", "year", "group", "children"]
    list_filter = ["year", "group"]


@admin.register(Benchmark)
class BenchmarkAdmin(ConfigurationAdmin):
    list_display = ["indicator", "year", "comparator", "value", "council"]
    list_filter = ["comparator", "year"]
    search_fields = ["indicator"]
