from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "caseaudit.inspection"
    verbose_name = "Inspection readiness"

    def ready(self) -> None:
        from caseaudit.inspection.mock import owning_mock
        from caseaudit.thematic.owners import register_owner

        register_owner("mock_inspection", owning_mock)
