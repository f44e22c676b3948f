from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "caseaudit.performance"
    label = "performance"
    verbose_name = "Performance compendium"
