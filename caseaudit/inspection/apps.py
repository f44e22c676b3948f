from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "caseaudit.inspection"
    verbose_name = "Inspection readiness"
