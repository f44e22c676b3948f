from django.apps import AppConfig


class ThematicConfig(AppConfig):
    name = "caseaudit.thematic"
    label = "thematic"
    verbose_name = "Thematic audits"
