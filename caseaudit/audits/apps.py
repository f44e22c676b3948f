from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "caseaudit.audits"
    label = "audits"
    verbose_name = "Case audits"

    def ready(self):
        from caseaudit.audits.querysets import children_of_my_audits
        from caseaudit.cases.querysets import grant_child_visibility

        grant_child_visibility(children_of_my_audits)
