from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "caseaudit.tools"
    label = "tools"
    verbose_name = "Audit tools"
